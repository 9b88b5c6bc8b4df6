import { join } from 'node:path';
import { DynamicModule, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { CLOCK, Clock } from '../../../shared/clock';
import { ClockModule } from '../../clock.module';
import { IDEMPOTENCY_POLICY, IdempotencyInterceptor, IdempotencyPolicy, REQUEST_SUBJECT, RequestSubject } from './idempotency.interceptor';
import { IDEMPOTENCY_STORE, IdempotencyStore } from './idempotency-store';
import { IDEMPOTENCY_KEYS, IdempotencyKeys, loadIdempotencyKeys } from './idempotency-secret';
import { SqliteIdempotencyStore } from './sqlite/sqlite-idempotency-store';

export const IDEMPOTENCY_FILENAME = 'idempotency.sqlite';

/** Long enough for any handler (they finish in milliseconds to seconds), short enough to recover soon. */
export const IDEMPOTENCY_LEASE_MS = 60_000;

/**
 * The one place that picks the idempotency adapter. A separate SQLite file, also when the ledger
 * runs on EventStoreDB: the records are per deployment, short-lived and not evidence.
 */
export function createIdempotencyStore(config: Pick<AppConfig, 'dataDir'>, clock: Clock, keys: IdempotencyKeys): IdempotencyStore {
  return SqliteIdempotencyStore.open({ filename: join(config.dataDir, IDEMPOTENCY_FILENAME), clock, keys });
}

export function idempotencyKeys(config: Pick<AppConfig, 'dataDir'>): IdempotencyKeys {
  return loadIdempotencyKeys(config.dataDir);
}

export function idempotencyPolicy(config: Pick<AppConfig, 'idempotencyTtlHours'>): IdempotencyPolicy {
  return { ttlMs: config.idempotencyTtlHours * 60 * 60 * 1000, leaseMs: IDEMPOTENCY_LEASE_MS };
}

/** What the idempotency module is wired to. */
export interface IdempotencyDependencies {
  /** The app's ConfigModule.forRoot(…): the data dir and the TTL. */
  config: DynamicModule;
  /** Keys are scoped per caller; this names the caller (the auth module knows how). */
  subjectOf: RequestSubject;
}

/** Idempotency-Key handling for every POST, as a global interceptor. */
@Module({
  providers: [
    { provide: IDEMPOTENCY_KEYS, useFactory: idempotencyKeys, inject: [APP_CONFIG] },
    { provide: IDEMPOTENCY_STORE, useFactory: createIdempotencyStore, inject: [APP_CONFIG, CLOCK, IDEMPOTENCY_KEYS] },
    { provide: IDEMPOTENCY_POLICY, useFactory: idempotencyPolicy, inject: [APP_CONFIG] },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
})
export class IdempotencyModule implements OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyModule.name);

  constructor(@Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore) {}

  // Runs after the HTTP server stopped taking requests, so no response is left unrecorded.
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    this.logger.log('idempotency store closed');
  }

  static forRoot({ config, subjectOf }: IdempotencyDependencies): DynamicModule {
    return { module: IdempotencyModule, imports: [config, ClockModule], providers: [{ provide: REQUEST_SUBJECT, useValue: subjectOf }] };
  }
}

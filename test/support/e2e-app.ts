import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggerService, Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { TEST_JWT_SECRET, testToken } from '../../src/auth/auth.test-support';
import { applicationOptions, configureApp } from '../../src/bootstrap';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { EVENT_STORE, type EventStore } from '../../src/ledger/event-store';
import { PROJECTIONS, type Projection } from '../../src/projections/projection';
import { REGISTERED_PROJECTIONS } from '../../src/registered-projections';
import { FROM_SOURCES_APP_OPTIONS } from './projector-worker';
import type { Actor } from '../../src/shared/actor';
import { CLOCK, FixedClock } from '../../src/shared/clock';

export interface E2eApp {
  app: NestExpressApplication;
  http: () => ReturnType<typeof request>;
  store: EventStore;
  clock: FixedClock;
  config: AppConfig;
  /** A bearer token for this actor, signed with the test secret the app trusts. */
  tokenFor(actor: Actor): string;
  /** The store's last global position: unchanged means nothing was appended. */
  lastPosition(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The real application (real SQLite store in a temp data dir, real auth, filters and pipes),
 * configured exactly as in production, with a clock the test moves.
 */
export interface E2eAppOptions {
  env?: NodeJS.ProcessEnv;
  clockStart?: string;
  controllers?: Type[];
  /** The read models to run instead of the registered ones (e.g. with a deliberately faulty one). */
  projections?: readonly Projection[];
  /** Receives every log line of every level (default: none are kept). */
  logger?: LoggerService;
}

export async function startE2eApp(options: E2eAppOptions = {}): Promise<E2eApp> {
  const root = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
  const config = loadConfig({ LEDGER_DATA_DIR: join(root, 'data'), JWT_SECRET: TEST_JWT_SECRET, ...options.env }, root);
  const clock = new FixedClock(options.clockStart ?? '2024-04-20T06:00:00.000Z');
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config, FROM_SOURCES_APP_OPTIONS)],
    controllers: options.controllers ?? [],
  })
    .overrideProvider(CLOCK)
    .useValue(clock)
    .overrideProvider(PROJECTIONS)
    .useValue(options.projections ?? REGISTERED_PROJECTIONS)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ ...applicationOptions(config), logger: options.logger ?? false });
  configureApp(app, config);
  await app.init();
  const store = app.get<EventStore>(EVENT_STORE);
  return {
    app,
    http: () => request(app.getHttpServer()),
    store,
    clock,
    config,
    tokenFor: (actor) => testToken({ ...actor, ttlSeconds: 3600 }),
    lastPosition: async () => (await store.health()).lastGlobalPosition ?? 0,
    close: async () => {
      await app.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

import { DynamicModule, Module } from '@nestjs/common';
import { AttachmentsModule } from './attachments/attachments.module';
import { AuthModule } from './auth/auth.module';
import { actorOf } from './auth/request-actor';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { ConsoleModule } from './console/console.module';
import { CustodyModule } from './custody/custody.module';
import { EvidenceModule } from './evidence/evidence.module';
import { HealthModule } from './health/health.module';
import { LedgerModule } from './ledger/ledger.module';
import { ReadModelsModule } from './read-models/read-models.module';
import { IdempotencyModule } from './platform/http/idempotency/idempotency.module';
import { RateLimitModule } from './platform/http/rate-limit/rate-limit.module';

/**
 * The root module takes the configuration as an argument: main.ts passes the one loaded from
 * the environment, tests pass their own (temp data dir, small body limit, …).
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        // Before AuthModule: its global guard then runs first, so floods are refused before any
        // token is verified.
        RateLimitModule,
        AuthModule.forRoot(config.auth),
        LedgerModule,
        AttachmentsModule,
        IdempotencyModule.forRoot((request) => actorOf(request)?.sub),
        HealthModule,
        CustodyModule,
        ReadModelsModule,
        EvidenceModule,
        // The web console at `/` and under /console/, over the same API.
        ConsoleModule,
      ],
    };
  }
}

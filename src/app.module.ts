import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { CustodyModule } from './custody/custody.module';
import { HealthModule } from './health/health.module';
import { LedgerModule } from './ledger/ledger.module';

/**
 * The root module takes the configuration as an argument: main.ts passes the one loaded from
 * the environment, tests pass their own (temp data dir, small body limit, …).
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), AuthModule.forRoot(config.auth), LedgerModule, HealthModule, CustodyModule],
    };
  }
}

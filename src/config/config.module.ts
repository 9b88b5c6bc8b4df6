import { DynamicModule, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from './app-config';

/**
 * Provides the configuration loaded at start-up. It takes a finished AppConfig rather than
 * reading the environment itself, so the environment is read exactly once (in main.ts) and
 * tests hand in their own config. Not global: the composition root builds this module once and
 * hands that object to every module that injects APP_CONFIG, which imports it.
 */
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}

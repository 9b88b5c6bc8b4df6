import { DynamicModule, Module } from '@nestjs/common';
import { readPackageVersion } from '../platform/package-version';
import { APP_VERSION, HealthHttpController } from './health.http.controller';

/** What the health report is wired to. */
export interface HealthDependencies {
  ledger: DynamicModule;
  projections: DynamicModule;
}

@Module({
  controllers: [HealthHttpController],
  providers: [{ provide: APP_VERSION, useFactory: () => readPackageVersion() }],
})
export class HealthModule {
  /**
   * With the app's event store (LedgerModule.forRoot(…)) and projection runtime
   * (ProjectionsModule.forRoot(…)), whose health it reports.
   */
  static forRoot(dependencies: HealthDependencies): DynamicModule {
    return { module: HealthModule, imports: [dependencies.ledger, dependencies.projections] };
  }
}

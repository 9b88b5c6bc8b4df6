import { DynamicModule, Module } from '@nestjs/common';
import { readPackageVersion } from '../platform/package-version';
import { APP_VERSION, HealthHttpController } from './health.http.controller';

@Module({
  controllers: [HealthHttpController],
  providers: [{ provide: APP_VERSION, useFactory: () => readPackageVersion() }],
})
export class HealthModule {
  /** With the app's projection runtime (ProjectionsModule.forRoot(…)), whose health it reports. */
  static forRoot(projections: DynamicModule): DynamicModule {
    return { module: HealthModule, imports: [projections] };
  }
}

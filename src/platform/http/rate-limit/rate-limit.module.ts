import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { SkipThrottle, ThrottlerModule, type ThrottlerModuleOptions } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig, RateLimitConfig } from '../../../config/app-config';
import { CallerThrottlerGuard } from './caller-throttler.guard';
import { SlidingLogThrottlerStorage } from './sliding-log-throttler-storage';

/** Two windows per caller: a burst limit per second and a sustained limit per minute. */
export const THROTTLER_NAMES = ['burst', 'minute'] as const;

export function rateLimitOptions(limits: RateLimitConfig): ThrottlerModuleOptions {
  return {
    throttlers: [
      { name: 'burst', ttl: 1000, limit: limits.burstPerSecond },
      { name: 'minute', ttl: 60_000, limit: limits.perMinute },
    ],
    // The stock headers carry a per-throttler suffix (Retry-After-burst); the guard sets a plain
    // Retry-After on refusals instead.
    setHeaders: false,
    // The stock storage copies each caller's whole log on every request; this one keeps its rules at O(1).
    storage: new SlidingLogThrottlerStorage(),
  };
}

/** Exempts a route or controller from every throttler, e.g. health probes from orchestrators. */
export const SkipRateLimit = (): MethodDecorator & ClassDecorator =>
  SkipThrottle(Object.fromEntries(THROTTLER_NAMES.map((name) => [name, true])));

/**
 * Rate limits for every route, as a global guard. The counters live in this process's memory:
 * with several processes behind a balancer each allows the configured rate.
 */
@Module({
  providers: [{ provide: APP_GUARD, useClass: CallerThrottlerGuard }],
})
export class RateLimitModule {
  /**
   * Over the app's ConfigModule.forRoot(…), which holds the limits, and a module exporting
   * RATE_LIMIT_SUBJECT (a VerifiedSubjectOf), which says whose token a request carries.
   */
  static forRoot(config: DynamicModule, subjects: DynamicModule): DynamicModule {
    return {
      module: RateLimitModule,
      imports: [
        subjects,
        ThrottlerModule.forRootAsync({
          imports: [config],
          inject: [APP_CONFIG],
          useFactory: ({ rateLimit }: AppConfig) => rateLimitOptions(rateLimit),
        }),
      ],
    };
  }
}

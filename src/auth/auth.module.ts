import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AuthSettings } from '../config/auth-settings';
import { AUTH_CONFIG, AuthConfig, resolveAuthConfig } from './auth-config';
import { JwtAuthGuard } from './jwt-auth.guard';
import { RolesGuard } from './roles.guard';
import { TokenVerifier } from './token-verifier';

/**
 * Authentication for every route: a global JWT guard, then a global roles guard (registered in
 * that order, so a missing token is a 401 before any 403). Not global: nothing outside this module
 * injects the verifier or AUTH_CONFIG. Import `AuthModule.forRoot(settings)`, or import
 * `AuthModule` where a global module provides AUTH_CONFIG (as one e2e test does).
 */
@Module({
  providers: [
    { provide: TokenVerifier, useFactory: (config: AuthConfig) => new TokenVerifier(config), inject: [AUTH_CONFIG] },
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [TokenVerifier],
})
export class AuthModule {
  /**
   * Takes settings already read from the environment (so it is read once, and tests pass their
   * own). A generated secret is created or read here, before the app starts: a bad secret file
   * throws AuthConfigError, which main reports like any other configuration problem.
   */
  static forRoot(settings: AuthSettings): DynamicModule {
    return {
      module: AuthModule,
      providers: [{ provide: AUTH_CONFIG, useValue: resolveAuthConfig(settings) }],
      exports: [AUTH_CONFIG],
    };
  }
}

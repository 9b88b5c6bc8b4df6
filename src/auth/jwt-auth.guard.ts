import type { IncomingMessage, ServerResponse } from 'node:http';
import { CanActivate, ExecutionContext, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { setBearerChallenge } from './bearer-challenge';
import { IS_PUBLIC } from './public.decorator';
import { attachActor } from './request-actor';
import { credentialsOf } from './request-credentials';
import { TokenVerifier } from './token-verifier';

/**
 * Global guard: every route needs `Authorization: Bearer <token>` unless marked @Public().
 * The verified Actor is attached to the request for @CurrentActor(); nothing in the request
 * body or other headers can set or change it.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly verifier: TokenVerifier,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic === true) return true;
    // Only HTTP is served; any other transport added later must not slip past authentication.
    if (context.getType() !== 'http') return false;

    const http = context.switchToHttp();
    const request = http.getRequest<IncomingMessage>();
    const response = http.getResponse<ServerResponse>();
    const credentials = credentialsOf(request, this.verifier);

    if (credentials.kind === 'none' || credentials.kind === 'not-bearer') {
      setBearerChallenge(response);
      throw new UnauthorizedException(
        credentials.kind === 'none'
          ? 'Authentication required: send an Authorization: Bearer <token> header.'
          : 'The Authorization header must use the Bearer scheme.',
      );
    }
    if (credentials.kind === 'verified') {
      attachActor(request, credentials.actor);
      return true;
    }
    const { error } = credentials;
    // The reason only, never the token: tokens in logs are credentials in logs.
    this.logger.debug(`refused ${request.method ?? ''} ${(request.url ?? '').split('?')[0]}: ${error.code}`);
    setBearerChallenge(response, { code: 'invalid_token', description: error.reason });
    throw new UnauthorizedException(`Invalid token: ${error.reason}`);
  }
}

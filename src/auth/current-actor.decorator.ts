import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Actor } from '../shared/actor';
import { actorOf } from './request-actor';

/**
 * Injects the Actor verified from the request's bearer token: the only source of "who acts".
 * Using it on a @Public() route is a programming error and fails loudly (500).
 */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = actorOf(context.switchToHttp().getRequest<object>());
  if (actor === undefined) {
    throw new Error('@CurrentActor() used on a route without an authenticated actor (is the route @Public()?)');
  }
  return actor;
});

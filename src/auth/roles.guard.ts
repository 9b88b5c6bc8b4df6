import type { ServerResponse } from 'node:http';
import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '../shared/actor';
import { setBearerChallenge } from './bearer-challenge';
import { actorOf } from './request-actor';
import { REQUIRED_ROLES } from './roles.decorator';

/** Global guard enforcing @Roles(): 403 unless the actor holds one of the listed roles. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<readonly Role[] | undefined>(REQUIRED_ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (required === undefined) return true;

    const http = context.switchToHttp();
    const actor = actorOf(http.getRequest<object>());
    if (actor === undefined) {
      // Only reachable if the route is also @Public(): a role can never be granted to nobody.
      setBearerChallenge(http.getResponse<ServerResponse>());
      throw new UnauthorizedException('Authentication required: this action is restricted to certain roles.');
    }
    // Plain membership, no hierarchy: `admin` passes only where it is listed.
    if (!actor.roles.some((role) => required.includes(role))) {
      throw new ForbiddenException(`This action requires one of the roles: ${required.join(', ')}.`);
    }
    return true;
  }
}

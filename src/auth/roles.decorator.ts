import { CustomDecorator, SetMetadata } from '@nestjs/common';
import { ROLES, Role } from '../shared/actor';

export const REQUIRED_ROLES = 'auth:roles';

/**
 * Allows a route (or a controller's routes) only to actors holding at least one of the given
 * roles. A handler's @Roles() replaces its controller's. No role implies another: `admin` is
 * not a superuser, so an administrator cannot fabricate custody records.
 */
export function Roles(...roles: [Role, ...Role[]]): CustomDecorator<string> {
  // Checked at start-up (decorators run on import), for callers that bypass the type checker.
  if (roles.length === 0) throw new Error('@Roles() needs at least one role');
  const unknown = roles.filter((role) => !(ROLES as readonly string[]).includes(role));
  if (unknown.length > 0) throw new Error(`@Roles() got unknown roles: ${unknown.join(', ')}`);
  return SetMetadata(REQUIRED_ROLES, Object.freeze([...new Set(roles)]));
}

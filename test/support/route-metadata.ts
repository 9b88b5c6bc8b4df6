import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { IS_PUBLIC } from '../../src/auth/public.decorator';
import { REQUIRED_ROLES } from '../../src/auth/roles.decorator';
import type { Role } from '../../src/shared/actor';

export interface RouteInfo {
  method: string;
  path: string;
  /** The roles its @Roles() declares (on the handler or its controller); undefined when every role may call it. */
  roles: readonly Role[] | undefined;
  /** Marked @Public(): no token needed. */
  public: boolean;
}

/** Every route of the running application, read from the controllers' own metadata. */
export function routesOf(app: INestApplication): RouteInfo[] {
  const reflector = new Reflector();
  const routes: RouteInfo[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const base = [Reflect.getMetadata(PATH_METADATA, controller) as string | string[]].flat()[0] ?? '';
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const own = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (own === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const path = `/${[base, [own].flat()[0]]
          .map((p) => p.replace(/^\/|\/$/g, ''))
          .filter((p) => p !== '')
          .join('/')}`;
        routes.push({
          method,
          path,
          roles: reflector.getAllAndOverride<readonly Role[] | undefined>(REQUIRED_ROLES, [handler, controller]),
          public: reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [handler, controller]) === true,
        });
      }
    }
  }
  return routes;
}

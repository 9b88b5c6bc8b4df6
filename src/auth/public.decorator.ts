import { CustomDecorator, SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'auth:public';

/**
 * Opens a route (or every route of a controller) to unauthenticated callers, e.g. /health and
 * /docs. Every other route requires a valid bearer token.
 */
export const Public = (): CustomDecorator<string> => SetMetadata(IS_PUBLIC, true);

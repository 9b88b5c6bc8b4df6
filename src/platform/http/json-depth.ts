import { HttpStatus } from '@nestjs/common';
import { ProblemHttpException } from './problem-details.filter';

/**
 * Deepest nesting of objects and arrays a request body may have. Custody commands need a handful
 * of levels; validation, canonical JSON and fingerprinting all recurse, so a body nested
 * thousands deep would otherwise exhaust the stack in whichever of them meets it first.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether a parsed JSON value nests objects or arrays more than `maxDepth` levels deep (a
 * top-level `{}` or `[]` is level 1; scalars add none). Walks with an explicit stack, so the
 * check itself cannot overflow on the very input it guards against.
 */
export function exceedsJsonDepth(value: unknown, maxDepth: number = MAX_JSON_DEPTH): boolean {
  const pending: Array<{ value: object; depth: number }> = [];
  if (typeof value === 'object' && value !== null) pending.push({ value, depth: 1 });
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    if (item.depth > maxDepth) return true;
    const children: unknown[] = Array.isArray(item.value) ? item.value : Object.values(item.value);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) pending.push({ value: child, depth: item.depth + 1 });
    }
  }
  return false;
}

type Next = (error?: unknown) => void;

/** Express middleware for right after the JSON body parser: refuses over-deep bodies with 400. */
export function rejectDeeplyNestedBodies(maxDepth: number = MAX_JSON_DEPTH) {
  return (request: { body?: unknown }, _response: unknown, next: Next): void => {
    if (!exceedsJsonDepth(request.body, maxDepth)) return next();
    next(
      new ProblemHttpException({
        status: HttpStatus.BAD_REQUEST,
        slug: 'too-deeply-nested',
        title: 'JSON body nested too deeply',
        detail: `The request body nests objects and arrays more than ${maxDepth} levels deep.`,
      }),
    );
  };
}

import { HttpStatus, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { FieldError, ProblemHttpException } from './problem-details.filter';

/**
 * Flattens class-validator's error tree into one entry per failed constraint, with the field
 * written as a path into the body (`items[0].quantity`) so clients can point at the input.
 */
export function toFieldErrors(errors: readonly ValidationError[], parentPath = '', parentIsArray = false): FieldError[] {
  return errors.flatMap((error) => {
    const field = parentIsArray
      ? `${parentPath}[${error.property}]`
      : parentPath === ''
        ? error.property
        : `${parentPath}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    const nested = toFieldErrors(error.children ?? [], field, Array.isArray(error.value));
    return [...own, ...nested];
  });
}

export function validationProblem(errors: readonly ValidationError[]): ProblemHttpException {
  // Several constraints of one field may share a message (type and bounds): say it once.
  const seen = new Set<string>();
  const unique = toFieldErrors(errors).filter(({ field, reason }) => !seen.has(`${field}\n${reason}`) && seen.add(`${field}\n${reason}`));
  return fieldErrorsProblem(unique);
}

/** The same 400 as a malformed body or parameter, for one field found bad beyond its decorators. */
export function invalidFieldProblem(field: string, reason: string): ProblemHttpException {
  return fieldErrorsProblem([{ field, reason }]);
}

function fieldErrorsProblem(fieldErrors: ReadonlyArray<{ field: string; reason: string }>): ProblemHttpException {
  return new ProblemHttpException({
    status: HttpStatus.BAD_REQUEST,
    slug: 'validation-failed',
    title: 'Request validation failed',
    detail: `The request has ${fieldErrors.length} invalid field${fieldErrors.length === 1 ? '' : 's'}.`,
    errors: [...fieldErrors],
  });
}

/**
 * The global pipe for every controller: class-validator, with each body's one declaration.
 * Unknown properties are refused rather than silently dropped, because a misspelt field in a
 * custody record must not pass unnoticed; nothing is converted from one JSON type to another.
 */
export class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // A body declared by a class is a JSON object: an array, a string or null is not one.
    if (metadata.type === 'body' && isDeclaredClass(metadata.metatype) && !isPlainObject(value)) {
      throw invalidFieldProblem('(body)', `the request body must be a JSON object, not ${describeJsonType(value)}`);
    }
    return super.transform(value, metadata);
  }
}

const isDeclaredClass = (metatype: unknown): boolean =>
  typeof metatype === 'function' && ![String, Boolean, Number, Array, Object].includes(metatype as never);

const isPlainObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

const describeJsonType = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`);

export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // Conversions are declared per field, never guessed from the TypeScript type.
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => validationProblem(errors),
  });
}

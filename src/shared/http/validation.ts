import { HttpStatus, ValidationPipe } from '@nestjs/common';
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
  const fieldErrors = toFieldErrors(errors);
  return new ProblemHttpException({
    status: HttpStatus.BAD_REQUEST,
    slug: 'validation-failed',
    title: 'Request validation failed',
    detail: `The request has ${fieldErrors.length} invalid field${fieldErrors.length === 1 ? '' : 's'}.`,
    errors: fieldErrors,
  });
}

/**
 * The global pipe for every controller: unknown properties are rejected rather than silently
 * dropped, because a misspelt field in a custody record must not pass unnoticed.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // Conversions are declared per field (@Type), never guessed from the TypeScript type.
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => validationProblem(errors),
  });
}

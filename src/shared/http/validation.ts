import { HttpStatus, ValidationPipe } from '@nestjs/common';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import { FieldError, ProblemHttpException } from './problem-details.filter';
import { installValidationMetadataCache } from './validation-metadata-cache';
import { passesAllRules } from './validity-precheck';

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
  return fieldErrorsProblem(toFieldErrors(errors));
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
 * The global pipe for every controller: unknown properties are rejected rather than silently
 * dropped, because a misspelt field in a custody record must not pass unnoticed.
 */
/**
 * Nest's ValidationPipe, with a quick pass first: a body that breaks no rule (nearly every one)
 * is let through without class-validator's error bookkeeping; any other body is validated by
 * class-validator as before, so its errors are exactly the same (see passesAllRules).
 */
export class FastValidationPipe extends ValidationPipe {
  protected override validate(object: object, validatorOptions?: ValidatorOptions): Promise<ValidationError[]> | ValidationError[] {
    if (validatorOptions !== undefined && passesAllRules(object, validatorOptions)) return [];
    return super.validate(object, validatorOptions);
  }
}

export function createValidationPipe(): ValidationPipe {
  installValidationMetadataCache();
  return new FastValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // Conversions are declared per field (@Type), never guessed from the TypeScript type.
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => validationProblem(errors),
  });
}

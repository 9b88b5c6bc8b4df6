import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { REDACTED } from '../personal-data';

/**
 * The OpenAPI schema of the marker that replaces a personal-data value for roles without access
 * (custody/personal-data.ts), for response declarations to offer beside the value's own type.
 */
export const REDACTED_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'Withheld: personal data your role does not grant access to.',
  required: ['redacted', 'reason'],
  properties: { redacted: { type: 'boolean', enum: [true] }, reason: { type: 'string', example: REDACTED.reason } },
};

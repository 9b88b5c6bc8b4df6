import { SHA256_HEX } from '../../../platform/http/field-patterns';
import type { PathParameterDocs } from '../../../platform/http/openapi';

/** The path parameters of the stored-bundle routes. */
export const STORED_BUNDLE_PATH_PARAMETERS: PathParameterDocs = {
  bundleHash: {
    description: 'An issued evidence bundle, by its bundleHash (64 lower-case hex digits, as on its Section 63 certificate).',
    example: '5977b00c90361d51e545e226895609399cf1ad6335cf269bc08665dbe75a9fce',
    schema: { type: 'string', pattern: SHA256_HEX.source },
  },
};

import { IDENTIFIER, SHA256_HEX } from '../../platform/http/field-patterns';
import type { PathParameterDocs } from '../../platform/http/openapi';

/** The path parameters of the seizure routes (and of the read models and evidence routes about one seizure). */
export const SEIZURE_PATH_PARAMETERS: PathParameterDocs = {
  seizureId: {
    description: 'The seizure, by the UUID chosen when it was recorded (any case).',
    example: '5b0e7f1c-6a3e-4c1d-9d0e-2f4a8b6c1d3e',
    schema: { type: 'string', format: 'uuid' },
  },
  transferId: {
    description: 'The custody transfer, by the UUID chosen when it was started.',
    example: '0d6f8c1e-2b7a-4e59-9a43-7c1e5f0b2a61',
    schema: { type: 'string', format: 'uuid' },
  },
  challanNumber: {
    description: 'The challan number the cash was deposited under.',
    example: 'CH-2024-0117',
    schema: { type: 'string', pattern: IDENTIFIER.source },
  },
  disputeId: {
    description: 'The release dispute, by the UUID chosen when it was raised.',
    example: '7c2e9a40-5f1b-4d3e-8a6c-2b9f0e1d4c57',
    schema: { type: 'string', format: 'uuid' },
  },
  itemId: {
    description: 'An item of the seizure, by its itemId.',
    example: 'item-cash',
    schema: { type: 'string', pattern: IDENTIFIER.source },
  },
  sha256: {
    description: 'The attachment, by the SHA-256 of its content (64 lower-case hex digits).',
    example: '1afe59b5e10392493fea541a86ff5248f91c0207f9e4b63500f75ca3aa24ee8c',
    schema: { type: 'string', pattern: SHA256_HEX.source },
  },
};

import { EVIDENCE_KEPT_TABLES } from './evidence/evidence-kept-tables';
import { EVIDENCE_PROJECTIONS } from './evidence/evidence-projections';
import type { KeptTable } from './projections/kept-tables';
import type { Projection } from './projections/projection';
import { READ_MODEL_PROJECTIONS } from './read-models/read-model-projections';

/**
 * Every projection the projector keeps and the rebuild command rebuilds: each feature lists its
 * own, and only this top-level file knows them all (read models and evidence never import each other).
 */
export const REGISTERED_PROJECTIONS: readonly Projection[] = [...READ_MODEL_PROJECTIONS, ...EVIDENCE_PROJECTIONS];

/** Every table of the read-model database that cannot be rebuilt: whoever opens that database for the server or the command line passes these. */
export const REGISTERED_KEPT_TABLES: readonly KeptTable[] = [...EVIDENCE_KEPT_TABLES];

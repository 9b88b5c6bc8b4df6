import { EVIDENCE_PROJECTIONS } from './evidence/evidence-projections';
import type { Projection } from './projections/projection';
import { READ_MODEL_PROJECTIONS } from './read-models/read-model-projections';

/**
 * Every projection the projector keeps and the rebuild command rebuilds: each feature lists its
 * own, and only this top-level file knows them all (read models and evidence never import each other).
 */
export const REGISTERED_PROJECTIONS: readonly Projection[] = [...READ_MODEL_PROJECTIONS, ...EVIDENCE_PROJECTIONS];

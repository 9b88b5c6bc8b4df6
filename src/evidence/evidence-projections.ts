import type { Projection } from '../projections/projection';
import { merkleLogProjection } from './merkle/merkle-log.projection';

/** The evidence side's projections: every seizure event becomes a leaf (its chain hash) in commit order; signed heads commit to it. */
export const EVIDENCE_PROJECTIONS: readonly Projection[] = [merkleLogProjection];

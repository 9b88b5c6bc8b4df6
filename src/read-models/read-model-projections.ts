import type { Projection } from '../projections/projection';
import { custodyHistoryProjection } from './custody-history/custody-history.projection';
import { deadlineWatchProjection } from './deadline-watch/deadline-watch.projection';
import { liveFeedScopeProjection } from './live-feed/live-feed-scope.projection';
import { retentionProjection } from './retention/retention.projection';
import { seizureSearchProjection } from './seizure-search/seizure-search.projection';
import { seizureStatementProjection } from './seizure-statement/seizure-statement.projection';
import { transferInboxProjection } from './transfer-inbox/transfer-inbox.projection';
import { treasuryReconciliationProjection } from './treasury-reconciliation/treasury-reconciliation.projection';

/**
 * The read models' projections, in the order the projector runs them. Adding a read model is a
 * line here, and its query and controller in ReadModelsModule.
 */
export const READ_MODEL_PROJECTIONS: readonly Projection[] = [
  liveFeedScopeProjection,
  custodyHistoryProjection,
  seizureSearchProjection,
  seizureStatementProjection,
  treasuryReconciliationProjection,
  deadlineWatchProjection,
  transferInboxProjection,
  retentionProjection,
];

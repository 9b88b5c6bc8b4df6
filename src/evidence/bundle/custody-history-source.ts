import type { Actor } from '../../shared/actor';
import type { JsonObject } from '../../shared/json';

/**
 * What a bundle needs of the custody history, owned here so that evidence never imports the read
 * models: app.module.ts binds CUSTODY_HISTORY_SOURCE to the custody-history read model's query.
 */
export interface CustodyHistorySource {
  /** The name of the read model the history is read from: a bundle waits until it includes the seizure's last event. */
  readonly readModel: string;
  /** The seizure's custody history as the actor may see it, for the bundle's custody section. */
  seizureHistory(actor: Actor, seizureId: string): JsonObject | Promise<JsonObject>;
}

export const CUSTODY_HISTORY_SOURCE = Symbol('CustodyHistorySource');

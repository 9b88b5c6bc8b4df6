import { inScope, type Actor } from '../shared/actor';
import { OutOfScope, SeizureNotFound } from './errors';
import type { RecordedSeizure, SeizureState } from './state';

/** Where a seizure was made: all the scope check needs of it. */
interface Place {
  state: string;
  district: string;
}

/**
 * The one check before a seizure is read or acted on: it must be recorded, and made within the
 * actor's scope. `seizureId`, when given, is named in the not-found detail.
 */
export function requireVisible(state: SeizureState, actor: Actor, seizureId?: string): RecordedSeizure {
  if (state.status !== 'recorded') throw SeizureNotFound(seizureId);
  requireInScope(state.location, actor);
  return state;
}

/** The same check over a read model's row of the seizure, undefined when the read model has none. */
export function requireVisibleRow<Row extends Place>(row: Row | undefined, actor: Actor, seizureId: string): Row {
  if (row === undefined) throw SeizureNotFound(seizureId);
  requireInScope(row, actor);
  return row;
}

function requireInScope(place: Place, actor: Actor): void {
  if (!inScope(actor.scope, place)) throw OutOfScope();
}

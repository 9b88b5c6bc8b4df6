import type { History } from '../../custody/commands/seizure-history.test-support';
import type { SeizureCommand } from '../../custody/command';
import { decide } from '../../custody/decide';
import { SeizureRuleViolation } from '../../custody/errors';
import { toEnvelope } from '../../custody/handle-command';
import { toSeizureView, toTrail, type SeizureView, type TrailEntry } from '../../custody/http/seizure-view';
import { evolve } from '../../custody/evolve';
import { initialSeizureState, type RecordedSeizure } from '../../custody/state';
import type { RecordedEvent } from '../../ledger/event-store';
import type { Actor } from '../../shared/actor';
import { actors, NOW, SEIZURE_ID } from '../../../test/support/custody-fixtures';

// What the eligibility specs share: a seizure as the API shows it, and whether the server would take a command on it.

/** A history as the store would hold it, and what the API shows of it to `actor`. */
export function seen(history: History, actor: Actor): { view: SeizureView; trail: TrailEntry[]; state: RecordedSeizure } {
  const events: RecordedEvent[] = history.map((e, revision) => ({
    streamName: `seizure-${SEIZURE_ID}`,
    revision,
    globalPosition: revision + 1,
    id: e.eventId ?? `00000000-0000-4000-8000-${String(revision).padStart(12, '0')}`,
    type: e.type,
    data: e.data as unknown as RecordedEvent['data'],
    metadata: { occurredAt: e.occurredAt ?? NOW, actor: { sub: e.actorSub ?? actors.flyingSquad.sub, name: 'x', unit: 'x' } },
    recordedAt: NOW,
    prevHash: '0'.repeat(64),
    hash: '0'.repeat(64),
  }));
  const state = events.map(toEnvelope).reduce(evolve, initialSeizureState()) as RecordedSeizure;
  return {
    view: toSeizureView({ state, revision: events.length - 1, events, stored: events, reveals: new Map() }, actor),
    trail: toTrail(events, actor),
    state,
  };
}

/** Whether the server's decide() accepts the command, or refuses it for a rule of the seizure's state. */
export function serverAccepts(command: SeizureCommand, state: RecordedSeizure, actor: Actor): boolean {
  try {
    decide(command, state, { actor, now: NOW });
    return true;
  } catch (error) {
    if (error instanceof SeizureRuleViolation) return false;
    throw error;
  }
}

import type { Response } from 'express';
import type { Actor } from '../../shared/actor';
import type { Clock } from '../../shared/clock';
import type { EventStore } from '../../ledger/event-store';
import type { SeizureCommand } from '../command';
import { handleSeizureCommand, type CommandOutcome } from '../handle-command';
import type { PersonalDataSealing } from '../sealing/personal-data-sealing';
import { etagOf, parseIfMatch } from './revision-headers';

/** What every command route hands a command to. */
export interface CommandExecution {
  store: EventStore;
  sealing: PersonalDataSealing;
  clock: Clock;
}

/** Runs a command for a route: If-Match in, ETag out; the actor from the verified token, the time from the clock. */
export async function executeSeizureCommand(
  { store, sealing, clock }: CommandExecution,
  seizureId: string,
  command: SeizureCommand,
  actor: Actor,
  ifMatch: string | undefined,
  res: Response,
): Promise<CommandOutcome> {
  const expectedRevision = parseIfMatch(ifMatch);
  // The validated DTOs are class instances; commands and events carry plain JSON only.
  const plain = { type: command.type, data: JSON.parse(JSON.stringify(command.data)) as SeizureCommand['data'] } as SeizureCommand;
  const outcome = await handleSeizureCommand(
    store,
    seizureId.toLowerCase(),
    plain,
    { actor, now: clock.now() },
    { expectedRevision, sealing },
  );
  res.setHeader('ETag', etagOf(outcome.revision));
  return outcome;
}

import type { Cmd, CommandContext } from '../command-context';
import { violation } from '../errors';
import type { SeizureEvent } from '../events';
import { requireRecorded } from '../rules';
import type { SeizureState } from '../state';

export type RecordCorrection = Cmd<
  'RecordCorrection',
  { correctsEventId: string; whatWasWrong: string; correction: string; reason: string }
>;

/** Events are never rewritten: a correction points at an earlier event, recorded by its author or an administrator. */
export function decideRecordCorrection(command: RecordCorrection, state: SeizureState, ctx: CommandContext): SeizureEvent[] {
  const s = requireRecorded(state, ctx);
  const { actor } = ctx;
  const d = command.data;
  const target = s.events[d.correctsEventId];
  if (!target) throw violation('unknown-event', 'not_found', `event ${d.correctsEventId} is not part of this seizure`, 'correctsEventId');
  if (target.type === 'CorrectionRecorded')
    throw violation('correct-the-original', 'invalid', 'correct the original event, not a correction', 'correctsEventId');
  if (target.actorSub !== actor.sub && !actor.roles.includes('admin')) {
    throw violation(
      'not-the-author',
      'forbidden',
      'only the person who recorded an event, or an administrator, may record a correction to it',
    );
  }
  return [{ type: 'CorrectionRecorded', data: { ...d, correctsEventType: target.type } }];
}

import type { Cmd, CommandContext } from '../command-context';
import type { PersonalContent, SeizureEvent } from '../events';
import { violation } from '../errors';
import { requireRecorded } from '../rules';
import type { SeizureState } from '../state';

export type AddAttachment = Cmd<
  'AddAttachment',
  { sha256: string; sizeBytes: number; mediaType: string; fileName: string; description: string } & PersonalContent
>;

/**
 * Anyone who may see a recorded seizure may attach a file to it; the ledger keeps its hash, not its
 * bytes. A file marked as a person's must name a person of this seizure (a witness it lists, a
 * release order it has), so that erasing that person erases the file too.
 */
export function decideAddAttachment(command: AddAttachment, state: SeizureState, ctx: CommandContext): SeizureEvent[] {
  const s = requireRecorded(state, ctx);
  const subject = command.data.personalDataOf;
  if (subject !== undefined && s.personalData[subject] === undefined) {
    throw violation('no-personal-data-of-subject', 'not_found', `this seizure names no ${subject}`, 'personalDataOf');
  }
  return [{ type: 'AttachmentAdded', data: command.data }];
}

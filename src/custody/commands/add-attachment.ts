import type { Cmd, CommandContext } from '../command-context';
import type { PersonalContent, SeizureEvent } from '../events';
import { requireRecorded } from '../rules';
import type { SeizureState } from '../state';

export type AddAttachment = Cmd<
  'AddAttachment',
  { sha256: string; sizeBytes: number; mediaType: string; fileName: string; description: string } & PersonalContent
>;

/** Anyone who may see a recorded seizure may attach a file to it; the ledger keeps its hash, not its bytes. */
export function decideAddAttachment(command: AddAttachment, state: SeizureState, ctx: CommandContext): SeizureEvent[] {
  requireRecorded(state, ctx);
  return [{ type: 'AttachmentAdded', data: command.data }];
}

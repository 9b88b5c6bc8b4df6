import { formatCheckpoint } from '../checkpoint/checkpoint';
import { signNote } from '../checkpoint/signed-note';
import { hexToBytes } from '../merkle/rfc9162';
import type { LogSigningKey } from './signing-key';
import type { TreeHead } from './tree-head';

/**
 * The C2SP checkpoint of a head (https://c2sp.org/tlog-checkpoint): `<origin>\n<size>\n<base64
 * root>\n`, a blank line and the log key's note signature, named after the origin. Ed25519 is
 * deterministic, so the same key, origin, size and root always give the same text.
 */
export function signCheckpoint(key: LogSigningKey, origin: string, head: Pick<TreeHead, 'treeSize' | 'rootHash'>): string {
  const text = formatCheckpoint({ origin, treeSize: head.treeSize, rootHash: hexToBytes(head.rootHash) });
  return signNote({ text }, key.noteSigner(origin));
}

/** The origin line of a checkpoint this log signed. */
export const checkpointOrigin = (checkpoint: string): string => checkpoint.slice(0, checkpoint.indexOf('\n'));

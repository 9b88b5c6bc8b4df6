/**
 * The format-2 checks of an evidence bundle: its checkpoint is the signed head again (same size,
 * same root, signed by the same log key under its origin), and the witnesses' cosignatures over
 * it — counted only for witness keys given from outside the bundle. Pure and portable.
 */
import type { EvidenceBundle } from '../bundle/evidence-bundle.format';
import { parseCheckpoint } from '../checkpoint/checkpoint';
import { cosignatureTimestamp, parseCosignatureVerifierKey } from '../checkpoint/cosignature';
import { fromBase64, keyIdHex, toBase64, utf8 } from '../checkpoint/note-bytes';
import {
  ed25519VerifierKey,
  NoteError,
  openNote,
  parseVerifierKey,
  verifierList,
  type Note,
  type NoteVerifier,
} from '../checkpoint/signed-note';
import { hexToBytes } from '../merkle/rfc9162';
import type { TrustedWitness } from './trust-file';

export interface WitnessTally {
  quorum: number;
  /** Names of the given witnesses whose cosignature verified, each once. */
  cosignedBy: string[];
  /** `<name>+<key ID>` of cosignatures by keys not given: reported, never counted. */
  unknown: string[];
  /** Given witnesses whose cosignature in the bundle does not verify (forged or altered). */
  invalid: string[];
}

type Add = (check: string, ok: boolean, detail: string) => void;

/** Checks the checkpoint note against the head and the log key; returns the opened note when it holds. */
export function checkCheckpoint(bundle: EvidenceBundle, logKey: Uint8Array | null, add: Add): Note | null {
  const cp = bundle.checkpoint;
  if (cp === null || typeof cp !== 'object' || typeof cp.origin !== 'string' || typeof cp.note !== 'string') {
    add('checkpoint', false, 'a format-2 bundle must carry its checkpoint { origin, note }');
    return null;
  }
  if (logKey === null) {
    add('checkpoint', false, 'no log key to check the checkpoint’s signature with');
    return null;
  }
  let note: Note;
  try {
    note = openNote(cp.note, verifierList(parseVerifierKey(ed25519VerifierKey(cp.origin, logKey))));
  } catch (error) {
    const why = error instanceof NoteError && error.kind === 'unverified-note' ? 'the log key did not sign it' : (error as Error).message;
    add('checkpoint', false, `the checkpoint of origin "${cp.origin}" does not verify: ${why}`);
    return null;
  }
  const parsed = parseCheckpoint(note.text);
  const head = bundle.treeHead;
  let problem: string | undefined;
  if (!parsed.ok) problem = parsed.reason;
  else if (parsed.checkpoint.origin !== cp.origin) problem = `its origin line is "${parsed.checkpoint.origin}", not "${cp.origin}"`;
  else if (parsed.checkpoint.treeSize !== head.treeSize)
    problem = `it is of size ${parsed.checkpoint.treeSize}, the head of ${head.treeSize}`;
  else if (toBase64(parsed.checkpoint.rootHash) !== safeBase64(String(head.rootHash))) problem = 'its root hash is not the head’s';
  if (problem !== undefined) {
    add('checkpoint', false, `the checkpoint is not the signed head: ${problem}`);
    return null;
  }
  const others = note.unverifiedSigs.length;
  add(
    'checkpoint',
    true,
    `signed by the log key as origin ${cp.origin}, size ${head.treeSize}, the head’s root; ${others} other signature line${others === 1 ? '' : 's'} (witness cosignatures)`,
  );
  return note;
}

function safeBase64(hex: string): string {
  try {
    return toBase64(hexToBytes(hex));
  } catch {
    return '';
  }
}

/**
 * Counts the cosignatures by the given witnesses; a bundle's own claims about witnesses count for
 * nothing. Fails when a given witness's cosignature does not verify, or fewer than `quorum` did.
 */
export function checkWitnesses(note: Note | null, given: readonly TrustedWitness[], quorum: number, add: Add): WitnessTally {
  const tally: WitnessTally = { quorum, cosignedBy: [], unknown: [], invalid: [] };
  if (note === null) {
    add('witness-cosignatures', false, `no verified checkpoint to count cosignatures on; ${quorum} required`);
    return tally;
  }
  const verifiers: (NoteVerifier & { witness: string })[] = given.map((w) => ({
    ...parseCosignatureVerifierKey(w.verifierKey),
    witness: w.name,
  }));
  const times: string[] = [];
  for (const sig of note.unverifiedSigs) {
    const verifier = verifiers.find((v) => v.name === sig.name && v.keyId === sig.keyId);
    if (verifier === undefined) {
      tally.unknown.push(`${sig.name}+${keyIdHex(sig.keyId)}`);
      continue;
    }
    const raw = fromBase64(sig.base64);
    const ok = raw !== null && verifier.verify(utf8(note.text), raw.slice(4));
    if (!ok) tally.invalid.push(verifier.witness);
    else if (!tally.cosignedBy.includes(verifier.witness)) {
      tally.cosignedBy.push(verifier.witness);
      const at = cosignatureTimestamp(sig.base64);
      times.push(at === null ? verifier.witness : `${verifier.witness} at ${new Date(at * 1000).toISOString()}`);
    }
  }
  const parts = [tally.cosignedBy.length === 0 ? 'cosigned by none of the given witnesses' : `cosigned by ${times.join(', ')}`];
  parts[0] += ` (${tally.cosignedBy.length} of ${given.length} given, quorum ${quorum})`;
  if (tally.invalid.length > 0) parts.push(`the cosignature of ${tally.invalid.join(', ')} does NOT verify: forged or altered`);
  for (const unknown of tally.unknown) parts.push(`unknown witness ${unknown}, not counted`);
  if (tally.cosignedBy.length < quorum) parts.push(`fewer than the ${quorum} required`);
  add('witness-cosignatures', tally.invalid.length === 0 && tally.cosignedBy.length >= quorum, parts.join('; '));
  return tally;
}

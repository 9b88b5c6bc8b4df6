/**
 * Transparency-log checkpoints (https://c2sp.org/tlog-checkpoint): a signed note whose text is the
 * origin line, the tree size in decimal, the base64 RFC 6962 root hash, then optional extension
 * lines. Pure and portable, like signed-note.ts.
 */
import { fromBase64, toBase64 } from './note-bytes';
import { NoteError, openNote, verifierList, type Note, type NoteVerifier } from './signed-note';

export interface Checkpoint {
  origin: string;
  treeSize: number;
  rootHash: Uint8Array;
  /** Extension lines, without their newlines; none for this ledger's checkpoints. */
  extensions: string[];
}

export type CheckpointParse = { ok: true; checkpoint: Checkpoint } | { ok: false; reason: string };

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** Why a string cannot be this ledger's origin (also the LOG_ORIGIN setting's rule). */
export { logOriginProblem as originProblem, MAX_LOG_ORIGIN_BYTES } from '../../shared/log-origin';

/** The checkpoint's note text: `<origin>\n<size>\n<base64 root>\n` then each extension line. */
export function formatCheckpoint(checkpoint: {
  origin: string;
  treeSize: number;
  rootHash: Uint8Array;
  extensions?: readonly string[];
}): string {
  const { origin, treeSize, rootHash, extensions = [] } = checkpoint;
  if (origin === '' || origin.includes('\n')) throw new TypeError('a checkpoint origin is one non-empty line');
  if (!Number.isSafeInteger(treeSize) || treeSize < 0) throw new TypeError(`tree size ${treeSize} is not a non-negative integer`);
  if (extensions.some((line) => line === '' || line.includes('\n'))) throw new TypeError('extension lines are non-empty single lines');
  return [origin, String(treeSize), toBase64(rootHash), ...extensions].map((line) => `${line}\n`).join('');
}

/**
 * Reads a checkpoint's note text (not the signatures) strictly by the spec: a tree size without
 * leading zeroes, standard base64, non-empty extension lines. `rootHashSize` is 32 (SHA-256) unless
 * a caller reads another ecosystem's checkpoints (null: any length).
 */
export function parseCheckpoint(text: string, options: { rootHashSize?: number | null } = {}): CheckpointParse {
  const fail = (reason: string): CheckpointParse => ({ ok: false, reason });
  const rootHashSize = options.rootHashSize === undefined ? 32 : options.rootHashSize;
  if (!text.endsWith('\n')) return fail('the checkpoint text does not end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) return fail('a checkpoint has at least three lines: origin, tree size, root hash');
  const [origin, size, root, ...extensions] = lines;
  if (origin === '') return fail('the origin line is empty');
  if (!DECIMAL.test(size)) return fail(`the tree size "${size}" is not a decimal number without leading zeroes`);
  const treeSize = Number(size);
  if (!Number.isSafeInteger(treeSize)) return fail(`the tree size ${size} is larger than this verifier can hold (2^53 - 1)`);
  const rootHash = fromBase64(root);
  if (rootHash === null || root === '') return fail('the root hash is not standard base64');
  if (rootHashSize !== null && rootHash.length !== rootHashSize)
    return fail(`the root hash has ${rootHash.length} bytes, not ${rootHashSize}`);
  if (extensions.some((line) => line === '')) return fail('an extension line is empty');
  return { ok: true, checkpoint: { origin, treeSize, rootHash, extensions } };
}

export type CheckpointOpening = { ok: true; checkpoint: Checkpoint; note: Note } | { ok: false; reason: string; note?: Note };

/**
 * A checkpoint signed by its log (transparency-dev's log.ParseCheckpoint): the note must carry a
 * valid signature of `logVerifier`, its text must parse and name `origin`. Signatures of
 * `otherVerifiers` (witnesses) are checked too and listed in `note.sigs`; unknown ones are ignored.
 */
export function openCheckpoint(
  message: Uint8Array | string,
  expected: { origin: string; logVerifier: NoteVerifier; otherVerifiers?: readonly NoteVerifier[]; rootHashSize?: number | null },
): CheckpointOpening {
  let note: Note;
  try {
    note = openNote(message, verifierList(expected.logVerifier, ...(expected.otherVerifiers ?? [])));
  } catch (error) {
    if (error instanceof NoteError) return { ok: false, reason: `the signatures do not verify: ${error.message}` };
    throw error;
  }
  const { name, keyId } = expected.logVerifier;
  if (!note.sigs.some((s) => s.name === name && s.keyId === keyId))
    return { ok: false, reason: 'the log has not signed this checkpoint', note };
  const parsed = parseCheckpoint(note.text, { rootHashSize: expected.rootHashSize });
  if (!parsed.ok) return { ok: false, reason: parsed.reason, note };
  if (parsed.checkpoint.origin !== expected.origin) {
    return { ok: false, reason: `the checkpoint is of origin "${parsed.checkpoint.origin}", not "${expected.origin}"`, note };
  }
  return { ok: true, checkpoint: parsed.checkpoint, note };
}

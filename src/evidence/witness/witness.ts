/**
 * The witness side of https://c2sp.org/tlog-witness: for each log it is configured with (by
 * origin and verifier key), it keeps the latest checkpoint it cosigned, and cosigns a new one only
 * when the log's signature verifies and a consistency proof shows the new tree extends the old —
 * so a log cannot show two different histories to two audiences, nor take back what it published,
 * without one witness noticing. Pure apart from its state store, which must persist a record
 * before `addCheckpoint` returns; the call is synchronous, so the check of the old size and the
 * update run as one step (the spec's race cannot happen in one process).
 */
import { sha256 } from '@noble/hashes/sha256';
import { parseCheckpoint } from '../checkpoint/checkpoint';
import { fromBase64, toBase64 } from '../checkpoint/note-bytes';
import { NoteError, openNote, signNote, verifierList, type NoteSigner, type NoteVerifier } from '../checkpoint/signed-note';
import { bytesToHex, EMPTY_ROOT, equalBytes, verifyConsistency } from '../merkle/rfc9162';
import { formatTreeSize, parseAddCheckpoint, TREE_SIZE_CONTENT_TYPE } from './add-checkpoint';

/** What a witness remembers of one log: the latest checkpoint it cosigned. */
export interface WitnessRecord {
  origin: string;
  treeSize: number;
  /** Base64 root hash of that checkpoint. */
  rootHash: string;
  /** That checkpoint as a note: the log's signature(s) it verified and its own cosignature. */
  note: string;
}

/** Durable per-origin records; `put` returns only once the record is on disk. */
export interface WitnessStateStore {
  get(origin: string): WitnessRecord | undefined;
  put(record: WitnessRecord): void;
}

/** A log this witness follows: its origin and the key(s) it trusts for it. */
export interface TrustedLog {
  origin: string;
  verifiers: readonly NoteVerifier[];
}

export interface WitnessAnswer {
  status: 200 | 400 | 403 | 404 | 409 | 422;
  contentType: string;
  body: string;
}

export interface WitnessEvents {
  /** A refusal worth an operator's attention: a fork, a rollback, a bad proof. */
  warn(message: string): void;
  log(message: string): void;
}

const TEXT = 'text/plain; charset=utf-8';
const answer = (status: WitnessAnswer['status'], body: string, contentType = TEXT): WitnessAnswer => ({
  status,
  contentType,
  body: body.endsWith('\n') ? body : `${body}\n`,
});

/** The monitoring path of a log: lower-case hex SHA-256 of its origin. */
export const originHash = (origin: string): string => bytesToHex(sha256(new TextEncoder().encode(origin)));

export class Witness {
  private readonly logs: Map<string, TrustedLog>;

  constructor(
    logs: readonly TrustedLog[],
    private readonly cosigner: NoteSigner,
    private readonly state: WitnessStateStore,
    private readonly events: WitnessEvents = { warn: () => undefined, log: () => undefined },
  ) {
    this.logs = new Map(logs.map((log) => [log.origin, log]));
  }

  /** Answers one `POST /add-checkpoint` body as the spec says, status code by status code. */
  addCheckpoint(body: string): WitnessAnswer {
    const parsed = parseAddCheckpoint(body);
    if (!parsed.ok) return answer(400, parsed.reason);
    const { oldSize, proof, checkpoint } = parsed.value;
    const origin = checkpoint.slice(0, checkpoint.indexOf('\n'));
    const log = this.logs.get(origin);
    if (log === undefined) return answer(404, `unknown log origin "${origin}"`);
    let text: string;
    try {
      text = openNote(checkpoint, verifierList(...log.verifiers)).text;
    } catch (error) {
      if (!(error instanceof NoteError)) throw error;
      if (error.kind === 'malformed-note') return answer(400, 'the checkpoint is not a signed note');
      return answer(403, `the log's signature does not verify: ${error.message}`);
    }
    const read = parseCheckpoint(text);
    if (!read.ok) return answer(400, read.reason);
    const { treeSize, rootHash } = read.checkpoint;
    if (oldSize > treeSize) return answer(400, `old size ${oldSize} is larger than the checkpoint's size ${treeSize}`);
    const last = this.state.get(origin);
    const lastSize = last?.treeSize ?? 0;
    if (oldSize !== lastSize) return answer(409, formatTreeSize(lastSize), TREE_SIZE_CONTENT_TYPE);
    const inconsistent = this.inconsistency(last, oldSize, treeSize, rootHash, proof);
    if (inconsistent !== undefined) {
      this.events.warn(`refused a checkpoint of ${origin} at size ${treeSize}: ${inconsistent}`);
      return answer(422, inconsistent);
    }
    const cosigned = signNote({ text }, this.cosigner);
    const line = cosigned.slice(cosigned.lastIndexOf('\n', cosigned.length - 2) + 1);
    const logSigned = checkpoint.slice(text.length + 1);
    this.state.put({ origin, treeSize, rootHash: toBase64(rootHash), note: `${text}\n${logSigned}${line}` });
    this.events.log(`cosigned ${origin} at size ${treeSize}`);
    return answer(200, line);
  }

  /** The latest cosigned checkpoint of the log whose origin hashes to `hash` (monitor retrieval). */
  checkpointByOriginHash(hash: string): WitnessAnswer {
    for (const origin of this.logs.keys()) {
      if (originHash(origin) !== hash) continue;
      const record = this.state.get(origin);
      return record === undefined ? answer(404, 'no checkpoint of that log was cosigned yet') : answer(200, record.note);
    }
    return answer(404, 'unknown log');
  }

  /** Why the new checkpoint does not extend the last cosigned one, or undefined when it does. */
  private inconsistency(
    last: WitnessRecord | undefined,
    oldSize: number,
    treeSize: number,
    rootHash: Uint8Array,
    proof: readonly Uint8Array[],
  ): string | undefined {
    if (treeSize === 0 && !equalBytes(rootHash, EMPTY_ROOT)) return 'a checkpoint of size 0 must have the empty tree’s root';
    if (oldSize === 0) return proof.length === 0 ? undefined : 'a consistency proof from size 0 must be empty';
    const oldRoot = fromBase64(last?.rootHash ?? '') ?? new Uint8Array(0);
    if (oldSize === treeSize) {
      return equalBytes(oldRoot, rootHash) ? undefined : `a fork: size ${treeSize} was cosigned with another root hash`;
    }
    const check = verifyConsistency({ firstSize: oldSize, secondSize: treeSize, firstRoot: oldRoot, secondRoot: rootHash, proof });
    return check.ok ? undefined : `the consistency proof from size ${oldSize} does not verify: ${check.reason}`;
  }
}

import type { WitnessEndpoint } from '../../config/app-config';
import { parseCosignatureVerifierKey } from '../checkpoint/cosignature';
import { NoteError, openNote, verifierList, type NoteVerifier } from '../checkpoint/signed-note';
import {
  ADD_CHECKPOINT_PATH,
  formatAddCheckpoint,
  parseSignatureLines,
  parseTreeSize,
  TREE_SIZE_CONTENT_TYPE,
} from '../witness/add-checkpoint';

/** A configured witness with its key parsed: only cosignatures that verify under it are kept. */
export interface KnownWitness extends WitnessEndpoint {
  verifier: NoteVerifier;
}

export class WitnessConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WitnessConfigError';
  }
}

/** Parses each witness's cosignature/v1 key; a bad one stops start-up with its name. */
export function knownWitnesses(witnesses: readonly WitnessEndpoint[]): KnownWitness[] {
  return witnesses.map((w) => {
    try {
      const verifier = parseCosignatureVerifierKey(w.verifierKey);
      if (verifier.name !== w.name) throw new WitnessConfigError(`its key is named "${verifier.name}"`);
      return { ...w, verifier };
    } catch (error) {
      if (error instanceof NoteError || error instanceof WitnessConfigError) {
        throw new WitnessConfigError(`WITNESS_CONFIG_FILE: witness "${w.name}" has an unusable verifierKey: ${error.message}`);
      }
      throw error;
    }
  });
}

export type Submission =
  | { kind: 'cosigned'; signatureLine: string }
  /** 409: the witness last cosigned another size; ask again from that one. */
  | { kind: 'size-mismatch'; witnessSize: number }
  | { kind: 'refused' | 'unreachable'; reason: string };

/**
 * One `add-checkpoint` call. The answer's signature lines are checked against the witness key:
 * a 200 without a valid cosignature by that key is a refusal, never stored.
 */
export async function submitCheckpoint(
  witness: KnownWitness,
  request: { oldSize: number; proof: Uint8Array[]; checkpoint: string },
  timeoutMs: number,
  fetchImpl: typeof fetch = fetch,
): Promise<Submission> {
  let response: Response;
  let body: string;
  try {
    response = await fetchImpl(`${witness.url}${ADD_CHECKPOINT_PATH}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      body: formatAddCheckpoint(request),
      signal: AbortSignal.timeout(timeoutMs),
    });
    body = await response.text();
  } catch (error) {
    return { kind: 'unreachable', reason: (error as Error).message };
  }
  if (response.status === 409) {
    const size = (response.headers.get('content-type') ?? '').startsWith(TREE_SIZE_CONTENT_TYPE) ? parseTreeSize(body) : null;
    return size === null ? { kind: 'refused', reason: `409 without a size: ${body.trim()}` } : { kind: 'size-mismatch', witnessSize: size };
  }
  if (response.status !== 200) return { kind: 'refused', reason: `${response.status}: ${body.trim().slice(0, 300)}` };
  const lines = parseSignatureLines(body);
  if (!lines.ok) return { kind: 'refused', reason: lines.reason };
  for (const line of lines.value.filter((l) => l.name === witness.name)) {
    try {
      openNote(`${request.checkpoint}${line.line}\n`, verifierList(witness.verifier));
      return { kind: 'cosigned', signatureLine: line.line };
    } catch {
      // Another key of the same name, or a signature that does not verify: try the next line.
    }
  }
  return { kind: 'refused', reason: 'the answer holds no cosignature that verifies under the configured key' };
}

/**
 * The wire format of the witness protocol's `add-checkpoint` call (https://c2sp.org/tlog-witness):
 * the request body (`old <size>`, consistency proof lines in base64, a blank line, the checkpoint
 * note), the 409 Conflict body (`text/x.tlog.size`: the witness's size and a newline) and the 200
 * body (one or more note signature lines). Pure and portable, like the checkpoint code: the log
 * and the witness both use it.
 */
import { fromBase64, toBase64 } from '../checkpoint/note-bytes';

export const ADD_CHECKPOINT_PATH = '/add-checkpoint';
/** The Content-Type of a 409 answer, whose body is the witness's latest cosigned size. */
export const TREE_SIZE_CONTENT_TYPE = 'text/x.tlog.size';
/** A client must not send more consistency proof lines than this. */
export const MAX_PROOF_LINES = 63;
const SIGNATURE_PREFIX = '\u2014 ';
const DECIMAL = /^(0|[1-9][0-9]*)$/;

export interface AddCheckpointRequest {
  /** The size of the checkpoint the witness last cosigned for this origin (0 when none). */
  oldSize: number;
  /** RFC 6962 consistency proof from `oldSize` to the checkpoint's size; empty when `oldSize` is 0. */
  proof: readonly Uint8Array[];
  /** The checkpoint as a signed note: its text, a blank line and the log's signature line(s). */
  checkpoint: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const decimal = (text: string): number | null => (DECIMAL.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : null);

export function formatAddCheckpoint(request: AddCheckpointRequest): string {
  if (request.proof.length > MAX_PROOF_LINES) throw new TypeError(`a consistency proof has at most ${MAX_PROOF_LINES} hashes`);
  return `old ${request.oldSize}\n${request.proof.map((hash) => `${toBase64(hash)}\n`).join('')}\n${request.checkpoint}`;
}

/** Reads a request body strictly: every line ends in a newline, sizes without leading zeroes, standard base64. */
export function parseAddCheckpoint(body: string): Parsed<AddCheckpointRequest> {
  const fail = (reason: string): Parsed<AddCheckpointRequest> => ({ ok: false, reason });
  const blank = body.indexOf('\n\n');
  if (blank < 0) return fail('the body has no blank line before the checkpoint');
  const [oldLine, ...proofLines] = body.slice(0, blank).split('\n');
  if (!oldLine.startsWith('old ')) return fail('the first line is not "old <size>"');
  const oldSize = decimal(oldLine.slice(4));
  if (oldSize === null) return fail(`the old size "${oldLine.slice(4)}" is not a decimal number without leading zeroes`);
  if (proofLines.length > MAX_PROOF_LINES) return fail(`more than ${MAX_PROOF_LINES} consistency proof lines`);
  const proof: Uint8Array[] = [];
  for (const line of proofLines) {
    const hash = fromBase64(line);
    if (line === '' || hash === null || hash.length !== 32) return fail(`the proof line "${line}" is not a base64 SHA-256 hash`);
    proof.push(hash);
  }
  const checkpoint = body.slice(blank + 2);
  if (!checkpoint.endsWith('\n')) return fail('the checkpoint does not end with a newline');
  return { ok: true, value: { oldSize, proof, checkpoint } };
}

/** The body of a 409 answer: the witness's latest cosigned size, in decimal, and a newline. */
export const formatTreeSize = (treeSize: number): string => `${treeSize}\n`;

export function parseTreeSize(body: string): number | null {
  return body.endsWith('\n') ? decimal(body.slice(0, -1)) : null;
}

/** One note signature line: `— <key name> <base64(key ID || signature)>`, without its newline. */
export interface SignatureLine {
  name: string;
  /** The base64 after the name, exactly as sent. */
  base64: string;
  line: string;
}

/** The signature lines of a 200 answer: one or more, each starting with U+2014 and ending in a newline. */
export function parseSignatureLines(body: string): Parsed<SignatureLine[]> {
  if (body === '' || !body.endsWith('\n')) return { ok: false, reason: 'the answer is not newline-terminated signature lines' };
  const lines: SignatureLine[] = [];
  for (const line of body.slice(0, -1).split('\n')) {
    const space = line.indexOf(' ', SIGNATURE_PREFIX.length);
    if (!line.startsWith(SIGNATURE_PREFIX) || space < 0) return { ok: false, reason: `"${line}" is not a note signature line` };
    const base64 = line.slice(space + 1);
    if (fromBase64(base64) === null) return { ok: false, reason: `"${line}" does not end in base64` };
    lines.push({ name: line.slice(SIGNATURE_PREFIX.length, space), base64, line });
  }
  return { ok: true, value: lines };
}

import type { SignedTreeHead } from '../tree-heads/tree-head';
import { verifyHeadUnderKeySet, type LogKeySet } from '../verify/log-key-set';

/**
 * A tree head as the ledger audit compares it with the log: how many leaves it commits to, the
 * root of those leaves, when it was signed, and by which key's log. Whatever format the head came
 * in, once its signature is checked it is one of these.
 */
export interface CommittedHead {
  treeSize: number;
  /** Hex RFC 9162 root of the first `treeSize` leaves. */
  rootHash: string;
  /** When it was signed (ISO-8601 UTC), where the format says. */
  timestamp: string | null;
  /** The log the head names (the key id of the log's first key), its signature checked. */
  logId: string;
}

export type OutsideHeadReading = { ok: true; head: CommittedHead } | { ok: false; reason: string };

/**
 * One way of writing down a signed tree head that someone kept outside the data dir. The signed
 * head JSON of `GET /evidence/tree-heads/latest` is the first; another encoding (a C2SP signed
 * note checkpoint, say) is a second implementation added to OUTSIDE_HEAD_FORMATS.
 */
export interface OutsideHeadFormat {
  /** For messages: "signed tree head JSON". */
  readonly name: string;
  /** Whether the file's text is written in this format (a cheap look, not a full parse). */
  recognises(text: string): boolean;
  /** Parses the text and checks its signature under the key it names, from the log's key set, valid at its time. Never throws. */
  read(text: string, keys: LogKeySet): OutsideHeadReading;
}

/** The JSON of a signed tree head exactly as the API serves it (`{ logId, treeSize, rootHash, timestamp, signature }`). */
export const signedTreeHeadJson: OutsideHeadFormat = {
  name: 'signed tree head JSON',
  recognises: (text) => text.trimStart().startsWith('{'),
  read(text, keys) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return { ok: false, reason: `not JSON: ${(error as Error).message}` };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, reason: 'not a JSON object' };
    const head = parsed as SignedTreeHead;
    const signature = verifyHeadUnderKeySet(head, keys);
    if (!signature.ok) return { ok: false, reason: signature.reason };
    return { ok: true, head: { treeSize: head.treeSize, rootHash: head.rootHash, timestamp: head.timestamp, logId: head.logId } };
  },
};

export const OUTSIDE_HEAD_FORMATS: readonly OutsideHeadFormat[] = [signedTreeHeadJson];

/** Reads a kept head in the first format that recognises it; a head that does not verify is a failure, with the reason. */
export function readOutsideHead(
  text: string,
  keys: LogKeySet,
  formats: readonly OutsideHeadFormat[] = OUTSIDE_HEAD_FORMATS,
): OutsideHeadReading {
  const format = formats.find((f) => f.recognises(text));
  if (format === undefined) return { ok: false, reason: `not a tree head in any known format (${formats.map((f) => f.name).join(', ')})` };
  const reading = format.read(text, keys);
  return reading.ok ? reading : { ok: false, reason: `${format.name}: ${reading.reason}` };
}

/**
 * The witnesses whose cosignatures a bundle's checkpoint carries, as the certificate lists them:
 * each signature line of the note other than the log's own, with its key id and the time it
 * claims. Read, not verified: the verifier checks them against witness keys given from outside.
 */
import { cosignatureTimestamp } from '../../checkpoint/cosignature';
import { fromBase64, keyIdHex, bytesToUint32 } from '../../checkpoint/note-bytes';
import { formatIstMinute } from '../../../shared/indian-format';
import type { BundleCheckpoint } from '../evidence-bundle.format';

/** 'witness.example/w1 (key 1a2b3c4d, cosigned 20 Apr 2024 11:30 IST)', one per witness line of the note. */
export function checkpointCosigners(checkpoint: BundleCheckpoint | undefined): string[] {
  if (checkpoint === undefined) return [];
  const blank = checkpoint.note.indexOf('\n\n');
  if (blank < 0) return [];
  return checkpoint.note
    .slice(blank + 2)
    .split('\n')
    .flatMap((line) => {
      const match = /^\u2014 (\S+) (\S+)$/.exec(line);
      if (match === null || match[1] === checkpoint.origin) return [];
      const [, name, signature] = match;
      const raw = fromBase64(signature);
      const key = raw !== null && raw.length >= 4 ? `key ${keyIdHex(bytesToUint32(raw))}` : 'unreadable signature';
      const seconds = cosignatureTimestamp(signature);
      return [`${name} (${key}${seconds === null ? '' : `, cosigned ${formatIstMinute(seconds * 1000)}`})`];
    });
}

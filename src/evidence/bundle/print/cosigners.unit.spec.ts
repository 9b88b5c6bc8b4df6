import { randomBytes } from 'node:crypto';
import { cosignatureKeyId, cosignatureSigner } from '../../checkpoint/cosignature';
import { keyIdHex } from '../../checkpoint/note-bytes';
import { freshKey, signTestCheckpoint } from '../bundle.test-support';
import { checkpointCosigners } from './cosigners';

const HEAD = { treeSize: 3, rootHash: 'ab'.repeat(32) };
/** 2024-04-20 06:00 UTC, 11:30 IST. */
const COSIGNED_AT = Date.parse('2024-04-20T06:00:00.000Z') / 1000;

describe('the witnesses a checkpoint names, for the certificate', () => {
  it('lists each witness that cosigned, with its key id and the time it claims, and not the log itself', () => {
    const witnesses = ['witness.court.example/vns', 'witness.ceo-up.example'].map((name) =>
      cosignatureSigner(name, randomBytes(32), () => COSIGNED_AT),
    );
    const checkpoint = signTestCheckpoint(HEAD, freshKey(), witnesses);

    expect(checkpointCosigners(checkpoint)).toEqual(
      witnesses.map((w) => `${w.name} (key ${keyIdHex(cosignatureKeyId(w.name, w.publicKey))}, cosigned 20 Apr 2024 11:30 IST)`),
    );
  });

  it('lists none for a checkpoint signed by the log alone, or a bundle of format 1 without one', () => {
    expect(checkpointCosigners(signTestCheckpoint(HEAD, freshKey()))).toEqual([]);
    expect(checkpointCosigners(undefined)).toEqual([]);
  });
});

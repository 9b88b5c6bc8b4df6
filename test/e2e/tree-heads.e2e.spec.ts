import { randomUUID } from 'node:crypto';
import { eventLeafHash } from '../../src/evidence/merkle/merkle-tree-store';
import { bytesToHex, hexToBytes, verifyConsistency, verifyInclusion } from '../../src/evidence/merkle/rfc9162';
import type { SignedTreeHead } from '../../src/evidence/tree-heads/tree-head';
import { verifyTreeHeadSignature } from '../../src/evidence/verify/tree-head.verify';
import { openCheckpoint } from '../../src/evidence/checkpoint/checkpoint';
import { parseVerifierKey } from '../../src/evidence/checkpoint/signed-note';
import { actors, recordSeizureCommand } from '../support/custody-fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-app';

const PROBLEM_JSON = /^application\/problem\+json/;
const ORIGIN = 'ledger.e2e.example/seizures';

/**
 * Signed tree heads over HTTP: seizures recorded through the API end up under a signed head, and
 * an outsider without an account checks the head's signature, an event's inclusion and that the
 * log only grew — with the browser-capable verifiers alone.
 */
describe('signed tree heads and proofs (e2e, SQLite)', () => {
  let e2e: E2eApp;

  beforeAll(async () => {
    e2e = await startE2eApp({
      env: { TREE_HEAD_INTERVAL_SECONDS: '1', LOG_ORIGIN: ORIGIN, RATE_LIMIT_BURST_PER_SECOND: '100000', RATE_LIMIT_PER_MINUTE: '1000000' },
    });
  });
  afterAll(async () => {
    await e2e.close();
  });

  const recordSeizure = async (): Promise<{ seizureId: string; globalPosition: number }> => {
    const seizureId = randomUUID();
    const response = await e2e
      .http()
      .post('/seizures')
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.flyingSquad)}`)
      .send(recordSeizureCommand({ seizureId }).data)
      .expect(201);
    return { seizureId, globalPosition: response.body.globalPosition as number };
  };

  // Unauthenticated on purpose: verification must not need an account.
  const waitForHeadCovering = async (size: number): Promise<SignedTreeHead> => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const response = await e2e.http().get('/evidence/tree-heads/latest');
      if (response.status === 200 && (response.body as SignedTreeHead).treeSize >= size) return response.body as SignedTreeHead;
      if (Date.now() > deadline) throw new Error(`no head covering ${size} events in time (last answer ${response.status})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('signs heads covering recorded seizures, proves inclusion and consistency, all without an account', async () => {
    const first = await recordSeizure();
    const head1 = await waitForHeadCovering(first.globalPosition);
    const second = await recordSeizure();
    const head2 = await waitForHeadCovering(second.globalPosition);
    expect(head2.treeSize).toBeGreaterThan(head1.treeSize);
    expect(Date.parse(head2.timestamp)).toBeGreaterThan(Date.parse(head1.timestamp));

    const key = await e2e.http().get('/evidence/public-key').expect(200);
    expect(key.body).toEqual({
      logId: head1.logId,
      algorithm: 'Ed25519',
      publicKey: expect.any(String),
      publicKeyPem: expect.stringMatching(/^-----BEGIN PUBLIC KEY-----/),
      checkpointOrigin: ORIGIN,
      checkpointVerifierKey: expect.stringMatching(/^ledger\.e2e\.example\/seizures\+[0-9a-f]{8}\+/),
      // Never rotated: the current key is the log's first, which names the log, and the only one in the history.
      keyId: head1.logId,
      validFrom: expect.any(String),
      logKeys: [
        {
          keyId: head1.logId,
          publicKey: key.body.publicKey,
          validFrom: key.body.validFrom,
          validUntil: null,
          announcement: null,
          checkpointVerifierKey: key.body.checkpointVerifierKey,
        },
      ],
    });
    expect(head1.keyId).toBe(head1.logId);
    const publicKeyRaw = new Uint8Array(Buffer.from(key.body.publicKey as string, 'base64'));
    expect(verifyTreeHeadSignature(head1, publicKeyRaw)).toEqual({ ok: true });
    expect(verifyTreeHeadSignature(head2, publicKeyRaw)).toEqual({ ok: true });
    expect(verifyTreeHeadSignature({ ...head2, treeSize: head2.treeSize + 1 }, publicKeyRaw).ok).toBe(false);

    // The first seizure's event, from its trail, is in the tree of the later head.
    const trail = await e2e
      .http()
      .get(`/seizures/${first.seizureId}/events`)
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.flyingSquad)}`)
      .expect(200);
    const eventHash = trail.body.events[0].hash as string;
    const inclusion = await e2e.http().get(`/evidence/inclusion-proof?eventHash=${eventHash}&treeSize=${head2.treeSize}`).expect(200);
    expect(inclusion.body).toMatchObject({
      treeSize: head2.treeSize,
      rootHash: head2.rootHash,
      eventHash,
      globalPosition: first.globalPosition,
    });
    expect(inclusion.body.leafHash).toBe(bytesToHex(eventLeafHash(eventHash)));
    expect(
      verifyInclusion({
        leafIndex: inclusion.body.leafIndex,
        treeSize: head2.treeSize,
        leafHash: eventLeafHash(eventHash),
        proof: (inclusion.body.proof as string[]).map(hexToBytes),
        rootHash: hexToBytes(head2.rootHash),
      }),
    ).toEqual({ ok: true });
    const byPosition = await e2e.http().get(`/evidence/inclusion-proof?globalPosition=${second.globalPosition}`).expect(200);
    expect(byPosition.body).toMatchObject({ treeSize: head2.treeSize, rootHash: head2.rootHash });

    // The log only grew between the two heads.
    const atSize1 = await e2e.http().get(`/evidence/tree-heads?treeSize=${head1.treeSize}`).expect(200);
    expect(atSize1.body).toMatchObject({ treeSize: head1.treeSize, rootHash: head1.rootHash });
    const consistency = await e2e
      .http()
      .get(`/evidence/consistency-proof?firstSize=${head1.treeSize}&secondSize=${head2.treeSize}`)
      .expect(200);
    expect(consistency.body).toMatchObject({ firstSize: head1.treeSize, secondSize: head2.treeSize });
    expect(
      verifyConsistency({
        firstSize: head1.treeSize,
        secondSize: head2.treeSize,
        firstRoot: hexToBytes(head1.rootHash),
        secondRoot: hexToBytes(head2.rootHash),
        proof: (consistency.body.proof as string[]).map(hexToBytes),
      }),
    ).toEqual({ ok: true });

    // Every earlier head can be fetched: a page oldest first, or the last before an instant.
    const page = await e2e.http().get('/evidence/tree-heads?limit=1000').expect(200);
    const listed = page.body.items as SignedTreeHead[];
    expect(listed).toEqual(expect.arrayContaining([head1, head2]));
    expect(page.body.nextAfter).toBeNull();
    const stamps = listed.map((h) => Date.parse(h.timestamp));
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    expect(new Set(stamps).size).toBe(stamps.length);
    const before = await e2e
      .http()
      .get(`/evidence/tree-heads?before=${encodeURIComponent(head2.timestamp)}`)
      .expect(200);
    expect(Date.parse((before.body as SignedTreeHead).timestamp)).toBeLessThan(Date.parse(head2.timestamp));
  });

  it('publishes each head as a C2SP checkpoint, text/plain, the same bytes every time, without an account', async () => {
    const { globalPosition } = await recordSeizure();
    const head = await waitForHeadCovering(globalPosition);
    const key = await e2e.http().get('/evidence/public-key').expect(200);
    const verifier = parseVerifierKey(key.body.checkpointVerifierKey as string);

    const atSize = await e2e.http().get(`/evidence/checkpoint?treeSize=${head.treeSize}`).expect(200);
    expect(atSize.headers['content-type']).toBe('text/plain; charset=utf-8');
    const opened = openCheckpoint(atSize.text, { origin: ORIGIN, logVerifier: verifier });
    expect(opened.ok && opened.checkpoint).toEqual({
      origin: ORIGIN,
      treeSize: head.treeSize,
      rootHash: hexToBytes(head.rootHash),
      extensions: [],
    });
    const again = await e2e.http().get(`/evidence/checkpoint?treeSize=${head.treeSize}`).expect(200);
    expect(again.text).toBe(atSize.text);

    const latest = await e2e.http().get('/evidence/checkpoint').expect(200);
    const latestOpened = openCheckpoint(latest.text, { origin: ORIGIN, logVerifier: verifier });
    expect(latestOpened.ok && latestOpened.checkpoint.treeSize).toBeGreaterThanOrEqual(head.treeSize);

    const missing = await e2e
      .http()
      .get(`/evidence/checkpoint?treeSize=${head.treeSize + 1000}`)
      .expect(404);
    expect(missing.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(missing.body.type).toMatch(/no-such-checkpoint$/);
    const bad = await e2e.http().get('/evidence/checkpoint?treeSize=-1').expect(400);
    expect(JSON.stringify(bad.body)).toContain('treeSize must be an integer of at least 0');

    const openApi = await e2e.http().get('/docs-json').expect(200);
    const operation = openApi.body.paths['/evidence/checkpoint'].get;
    expect(operation.security).toEqual([]);
    expect(Object.keys(operation.responses['200'].content)).toEqual(['text/plain']);
  });

  it('explains what it cannot prove', async () => {
    const latest = await waitForHeadCovering(0);
    const noHead = await e2e
      .http()
      .get(`/evidence/inclusion-proof?globalPosition=1&treeSize=${latest.treeSize + 1000}`)
      .expect(404);
    expect(noHead.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(noHead.body).toMatchObject({
      type: expect.stringMatching(/no-such-tree-head$/),
      detail: expect.stringContaining(`size ${latest.treeSize + 1000}`),
    });
    const unknown = await e2e
      .http()
      .get(`/evidence/inclusion-proof?eventHash=${'ab'.repeat(32)}`)
      .expect(404);
    expect(unknown.body.type).toMatch(/event-not-in-log$/);
    await e2e
      .http()
      .get(`/evidence/inclusion-proof?eventHash=${'ab'.repeat(32)}&globalPosition=1`)
      .expect(400);
    await e2e.http().get('/evidence/inclusion-proof?eventHash=xyz').expect(400);
    await e2e.http().get('/evidence/consistency-proof?firstSize=1').expect(400);
    await e2e
      .http()
      .get(`/evidence/consistency-proof?firstSize=${latest.treeSize}&secondSize=${latest.treeSize + 1000}`)
      .expect(404);
    await e2e
      .http()
      .get(`/evidence/tree-heads?treeSize=${latest.treeSize + 1000}`)
      .expect(404);
    await e2e.http().get('/evidence/tree-heads?treeSize=1&before=2024-01-01T00:00:00Z').expect(400);
    await e2e.http().get('/evidence/tree-heads?surprise=1').expect(400);
  });
});

import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRotateSigningKeyCommand } from '../../src/cli/commands/rotate-signing-key.command';
import type { EvidenceBundle } from '../../src/evidence/bundle/evidence-bundle';
import type { LogPublicKey } from '../../src/evidence/tree-heads/tree-head-log';
import type { SignedTreeHead } from '../../src/evidence/tree-heads/tree-head';
import { verifyEvidenceBundle } from '../../src/evidence/verify/bundle.verify';
import { parseLogKeySet, verifyHeadUnderKeySet } from '../../src/evidence/verify/log-key-set';
import { FixedClock } from '../../src/shared/clock';
import { actors, recordSeizureCommand } from '../support/custody-fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-app';

/**
 * A key rotation seen over HTTP: the server is stopped, the key rotated with the CLI, the server
 * started again on the same data dir. GET /evidence/public-key then lists both keys with their
 * periods and the announcing head, keeps today's fields for the current key, and a bundle served
 * before the rotation still verifies against the published key history.
 */
describe('evidence signing key rotation (e2e, SQLite)', () => {
  let root: string;
  let dataDir: string;
  let e2e: E2eApp | undefined;
  const env = (): NodeJS.ProcessEnv => ({ LEDGER_DATA_DIR: dataDir, TREE_HEAD_INTERVAL_SECONDS: '1' });

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ledger-rotation-e2e-'));
    dataDir = join(root, 'data');
    mkdirSync(dataDir, { mode: 0o700 });
  });
  afterAll(async () => {
    await e2e?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const recordAndBundle = async (app: E2eApp): Promise<{ bundle: EvidenceBundle; head: SignedTreeHead }> => {
    const seizureId = randomUUID();
    await app
      .http()
      .post('/seizures')
      .set('Authorization', `Bearer ${app.tokenFor(actors.flyingSquad)}`)
      .send(recordSeizureCommand({ seizureId }).data)
      .expect(201);
    const response = await app
      .http()
      .get(`/seizures/${seizureId}/evidence`)
      .set('Authorization', `Bearer ${app.tokenFor(actors.court)}`);
    expect(response.status).toBe(200);
    const bundle = response.body as EvidenceBundle;
    return { bundle, head: bundle.treeHead };
  };

  it('publishes the key history after a rotation, and a bundle from before still verifies', async () => {
    e2e = await startE2eApp({ env: env(), clockStart: '2024-04-20T06:00:00.000Z' });
    const before = await recordAndBundle(e2e);
    const firstKey = (await e2e.http().get('/evidence/public-key').expect(200)).body as LogPublicKey;
    expect(firstKey.logKeys).toHaveLength(1);
    expect(firstKey.logKeys[0]).toMatchObject({
      keyId: firstKey.keyId,
      publicKey: firstKey.publicKey,
      validUntil: null,
      announcement: null,
    });
    await e2e.close();
    e2e = undefined;

    const out: string[] = [];
    const code = createRotateSigningKeyCommand(new FixedClock('2024-04-21T06:00:00.000Z')).run([], {
      env: { LEDGER_DATA_DIR: dataDir },
      cwd: root,
      stdout: (t) => out.push(t),
      stderr: () => undefined,
    });
    expect(code).toBe(0);
    expect(out.join('')).toContain('rotated the evidence signing key');

    e2e = await startE2eApp({ env: env(), clockStart: '2024-04-22T06:00:00.000Z' });
    const after = await recordAndBundle(e2e);
    const published = (await e2e.http().get('/evidence/public-key').expect(200)).body as LogPublicKey;
    // Today's fields name the current key; the log id is unchanged.
    expect(published.logId).toBe(firstKey.logId);
    expect(published.publicKey).not.toBe(firstKey.publicKey);
    expect(published.checkpointVerifierKey).not.toBe(firstKey.checkpointVerifierKey);
    expect(published.checkpointOrigin).toBe(firstKey.checkpointOrigin);
    const [old, current] = published.logKeys;
    expect(published.logKeys).toHaveLength(2);
    expect(old).toMatchObject({ keyId: firstKey.keyId, validFrom: firstKey.logKeys[0].validFrom, validUntil: current.validFrom });
    expect(current).toMatchObject({
      keyId: published.keyId,
      publicKey: published.publicKey,
      validFrom: published.validFrom,
      validUntil: null,
    });
    expect(current.announcement).toMatchObject({
      keyId: old.keyId,
      nextKey: { publicKey: current.publicKey, validFrom: current.validFrom },
    });
    expect(after.head.keyId).toBe(current.keyId);

    const history = parseLogKeySet(published);
    if (!history.ok) throw new Error(history.reason);
    expect(verifyHeadUnderKeySet(current.announcement!, history.set).ok).toBe(true);
    for (const { bundle } of [before, after]) {
      const report = verifyEvidenceBundle(bundle, { keySet: history.set });
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(report.ok).toBe(true);
    }
    // With only the current key (what an older client reads), the bundle from before the rotation does not verify.
    expect(verifyEvidenceBundle(before.bundle, { publicKey: Buffer.from(published.publicKey, 'base64') }).ok).toBe(false);
    expect(verifyEvidenceBundle(after.bundle, { publicKey: Buffer.from(published.publicKey, 'base64') }).ok).toBe(true);
  });
});

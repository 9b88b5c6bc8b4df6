import { runCli } from '../../../test/support/cli-process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { clone, freshKey, makeBundleFixture, signHead, type BundleFixture } from '../../evidence/bundle/bundle.test-support';
import { bytesToHex, consistencyProof, rootOf } from '../../evidence/merkle/rfc9162';
import { SqliteEventStore } from '../../ledger/sqlite/sqlite-event-store';
import { systemClock } from '../../shared/clock';
import { UsageError, type CliIo } from '../cli-command';
import { verifyCommand } from './verify.command';

// Each spawn starts Node on the sources (the first transpiles them): allow for a loaded machine.
jest.setTimeout(120_000);

const cli = runCli;

describe('seizure-ledger verify / verify-heads', () => {
  let dir: string;
  let store: SqliteEventStore;
  let fx: BundleFixture;
  let good: string;
  let tampered: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'verify-cli-'));
    store = SqliteEventStore.open({ filename: join(dir, 'ledger.sqlite'), clock: systemClock, pollIntervalMs: 20 });
    fx = await makeBundleFixture(store);
    good = join(dir, 'bundle.json');
    writeFileSync(good, JSON.stringify(fx.bundle, null, 2));
    const b = clone(fx.bundle);
    (b.events[0].data as { amount: number }).amount = 25000;
    tampered = join(dir, 'tampered.json');
    writeFileSync(tampered, JSON.stringify(b, null, 2));
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints ✓ for every check and exits 0 on a good bundle', () => {
    const r = cli('verify', good, '--public-key', fx.key.publicKeyBase64);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/✓ event-hashes: all 4 events match their hashes/);
    expect(r.stdout).toMatch(/✓ head-signature/);
    expect(r.stdout).toMatch(/VERIFIED: /);
    expect(r.stdout).not.toMatch(/✗/);
  });

  it('prints ✗ with the reason and exits 1 on a tampered bundle; --json gives the report; a key file is read', () => {
    const keyFile = join(dir, 'ledger.pub');
    writeFileSync(keyFile, `${fx.key.publicKeyBase64}\n`);
    const r = cli('verify', tampered, '--public-key', keyFile);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/✗ event-hashes: revision 0 .*altered/);
    expect(r.stdout).toMatch(/✗ bundle-hash: /);
    expect(r.stdout).toMatch(/NOT VERIFIED/);
    const j = cli('verify', tampered, '--json');
    expect(j.status).toBe(1);
    const report = JSON.parse(j.stdout) as { ok: boolean; checks: Array<{ check: string; ok: boolean }> };
    expect(report.ok).toBe(false);
    expect(report.checks.filter((c) => !c.ok).map((c) => c.check)).toEqual(['event-hashes', 'bundle-hash']);
  });

  it('exits 1 when the bundle was signed by another key', () => {
    const r = cli('verify', good, '--public-key', freshKey().publicKeyBase64);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/✗ public-key: the head is from another key/);
  });

  it('never ticks the key or says VERIFIED when only the key inside the bundle was used', () => {
    const r = cli('verify', good);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^! public-key: NOT CHECKED: no outside key given/m);
    expect(r.stdout).not.toMatch(/✓ public-key/);
    expect(r.stdout).toMatch(/^NOT AUTHENTICATED: .* agrees with itself/m);
    expect(r.stdout).not.toMatch(/^VERIFIED/m);
    const j = JSON.parse(cli('verify', good, '--json').stdout) as {
      keySource: string;
      checks: Array<{ check: string; unproven?: boolean }>;
    };
    expect(j.keySource).toBe('embedded');
    expect(j.checks.find((c) => c.check === 'public-key')?.unproven).toBe(true);
  });

  it('--require-key demands an outside key: a usage error without one, the normal verdict with one', () => {
    const without = cli('verify', good, '--require-key');
    expect(without.status).toBe(2);
    expect(without.stderr).toMatch(/--require-key/);
    const withKey = cli('verify', good, '--require-key', '--public-key', fx.key.publicKeyBase64);
    expect(withKey.status).toBe(0);
    expect(withKey.stdout).toMatch(/^VERIFIED: /m);
    expect(cli('verify', good, '--require-key', '--public-key', freshKey().publicKeyBase64).status).toBe(1);
  });

  it('exits 2 on usage errors', () => {
    expect(cli('verify').status).toBe(2);
    expect(cli('verify', good, '--public-key', 'not base64!').status).toBe(2);
    expect(cli('verify', join(dir, 'missing.json')).status).toBe(2);
    expect(cli('verify', good, '--bogus').status).toBe(2);
    expect(cli('verify-heads', good).status).toBe(2);
  });

  it('verify-heads checks a consistency proof', () => {
    const leaves = Array.from({ length: 9 }, (_, i) => new Uint8Array(createHash('sha256').update(`e${i}`).digest()));
    const key = fx.key;
    const h = (n: number, t: string) =>
      signHead({ logId: key.logId, treeSize: n, rootHash: bytesToHex(rootOf(leaves.slice(0, n))), timestamp: t }, key);
    const older = join(dir, 'older.json');
    const newer = join(dir, 'newer.json');
    const proof = join(dir, 'proof.json');
    writeFileSync(older, JSON.stringify(h(3, '2024-04-19T06:00:00.000Z')));
    writeFileSync(newer, JSON.stringify(h(9, '2024-04-20T06:00:00.000Z')));
    writeFileSync(proof, JSON.stringify({ proof: consistencyProof(leaves, 3).map(bytesToHex) }));
    const ok = cli('verify-heads', older, newer, '--proof', proof, '--public-key', key.publicKeyBase64);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/✓ consistency-proof/);
    writeFileSync(proof, JSON.stringify(consistencyProof(leaves, 4).map(bytesToHex)));
    const bad = cli('verify-heads', older, newer, '--proof', proof, '--public-key', key.publicKeyBase64);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/✗ consistency-proof: not an append-only extension/);
  });
});

describe('seizure-ledger verify with a key set (in process)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let fx: BundleFixture;
  let bundleFile: string;
  let out: string[];
  const io = (): CliIo => ({ env: {}, cwd: dir, stdout: (t) => out.push(t), stderr: () => undefined });
  const run = (...args: string[]): { code: number; text: string } => {
    out = [];
    const code = verifyCommand.run(args, io()) as number;
    return { code, text: out.join('') };
  };
  const trustFile = (oldUntil: string): string => {
    const file = join(dir, `trust-${oldUntil}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        logKeys: [
          { publicKey: fx.key.publicKeyBase64, validFrom: '2024-04-01T00:00:00.000Z', validUntil: oldUntil },
          { publicKey: freshKey().publicKeyBase64, validFrom: oldUntil, validUntil: null },
        ],
      }),
    );
    return file;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'verify-keyset-'));
    store = SqliteEventStore.open({ filename: join(dir, 'ledger.sqlite'), clock: systemClock, pollIntervalMs: 20 });
    // Its head has no keyId: a bundle issued before keys could be rotated, verified after a rotation.
    fx = await makeBundleFixture(store);
    bundleFile = join(dir, 'bundle.json');
    writeFileSync(bundleFile, JSON.stringify(fx.bundle));
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies a bundle signed before a rotation with the key history (--trust)', () => {
    expect(fx.bundle.treeHead.keyId).toBeUndefined();
    const r = run(bundleFile, '--trust', trustFile('2024-05-01T00:00:00.000Z'));
    expect(r.text).toMatch(/^VERIFIED: /m);
    expect(r.text).toContain('the embedded key is one of the 2 ledger keys given');
    expect(r.code).toBe(0);
  });

  it('refuses it when the history says its key was no longer valid at the head’s time', () => {
    const r = run(bundleFile, '--trust', trustFile('2024-04-20T05:00:00.000Z'));
    expect(r.code).toBe(1);
    expect(r.text).toMatch(/✗ head-signature: .*valid only from 2024-04-01T00:00:00.000Z until 2024-04-20T05:00:00.000Z/);
  });

  it('takes --public-key more than once, and refuses --public-key with --trust', () => {
    expect(run(bundleFile, '--public-key', freshKey().publicKeyBase64, '--public-key', fx.key.publicKeyBase64).code).toBe(0);
    expect(run(bundleFile, '--public-key', freshKey().publicKeyBase64).code).toBe(1);
    expect(() => run(bundleFile, '--public-key', fx.key.publicKeyBase64, '--trust', trustFile('2024-05-01T00:00:00.000Z'))).toThrow(
      UsageError,
    );
    writeFileSync(join(dir, 'bad-trust.json'), JSON.stringify({ logKeys: [{ publicKey: 'AAAA', validFrom: 'x' }] }));
    expect(() => run(bundleFile, '--trust', 'bad-trust.json')).toThrow(/logKeys\[0\]\.publicKey/);
  });
});

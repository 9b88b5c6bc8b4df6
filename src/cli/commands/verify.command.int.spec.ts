import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { clone, freshKey, makeBundleFixture, signHead, type BundleFixture } from '../../evidence/bundle/bundle.test-support';
import { bytesToHex, consistencyProof, rootOf } from '../../evidence/merkle/rfc9162';
import { SqliteEventStore } from '../../ledger/sqlite/sqlite-event-store';
import { systemClock } from '../../shared/clock';

const ROOT = resolve(__dirname, '../../..');

// Each spawn starts ts-node: allow for a loaded machine.
jest.setTimeout(120_000);

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

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

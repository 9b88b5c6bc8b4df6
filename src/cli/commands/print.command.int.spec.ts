import { runCli } from '../../../test/support/cli-process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clone, makeBundleFixture, type BundleFixture } from '../../evidence/bundle/bundle.test-support';
import { SqliteEventStore } from '../../ledger/sqlite/sqlite-event-store';
import { systemClock } from '../../shared/clock';
import { pdfPageCount, pdfText } from '../../../test/support/pdf-reader';

// Each spawn starts Node on the sources (the first transpiles them): allow for a loaded machine.
jest.setTimeout(120_000);

const cli = runCli;

describe('seizure-ledger print', () => {
  let dir: string;
  let store: SqliteEventStore;
  let fx: BundleFixture;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'print-cli-'));
    store = SqliteEventStore.open({ filename: join(dir, 'ledger.sqlite'), clock: systemClock, pollIntervalMs: 20 });
    fx = await makeBundleFixture(store);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a bundle offline, its own hash on the certificate', () => {
    const json = join(dir, 'bundle.json');
    const pdf = join(dir, 'out.pdf');
    writeFileSync(json, JSON.stringify(fx.bundle, null, 2));
    const run = cli('print', json, '-o', pdf, '--public-key', fx.key.publicKeyBase64);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: expect.stringContaining(fx.bundle.bundleHash) });
    expect(run.stdout.trim()).toBe(pdf);
    const pages = pdfPageCount(pdf);
    expect(/Hash value: ([0-9a-f]{64})/.exec(pdfText(pdf, pages))?.[1]).toBe(fx.bundle.bundleHash);
  });

  it('writes beside the bundle without -o', () => {
    const json = join(dir, 'beside.json');
    writeFileSync(json, JSON.stringify(fx.bundle));
    expect(cli('print', json).status).toBe(0);
    expect(existsSync(join(dir, 'beside.pdf'))).toBe(true);
  });

  it('refuses (exit 1, nothing written) a bundle that does not match its hash', () => {
    const tampered = clone(fx.bundle);
    tampered.custodyHistory = { ...tampered.custodyHistory, handovers: 2 };
    const json = join(dir, 'tampered.json');
    const pdf = join(dir, 'tampered.pdf');
    writeFileSync(json, JSON.stringify(tampered));
    const run = cli('print', json, '-o', pdf);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/is not printed: it does not verify[\s\S]*bundle-hash/);
    expect(existsSync(pdf)).toBe(false);
  });

  it('is a usage error without a bundle', () => {
    expect(cli('print').status).toBe(2);
  });
});

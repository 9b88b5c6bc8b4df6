import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freshKey, signHead } from '../../evidence/bundle/bundle.test-support';
import {
  buildSignedLedger,
  deleteNewestEvents,
  editEventData,
  eventRows,
  rewriteLedger,
  tamper,
  truncateStream,
} from '../../evidence/ledger-audit/sqlite/signed-ledger.test-support';
import type { LedgerVerification } from '../../evidence/ledger-audit/verify-ledger';
import { loadOrCreateSigningKey } from '../../evidence/tree-heads/signing-key';
import type { SignedTreeHead } from '../../evidence/tree-heads/tree-head';
import { UsageError, type CliIo } from '../cli-command';
import { verifyStoreCommand } from './verify-store.command';

const projectRoot = resolve(__dirname, '../../..');
const isSeizure = (row: { stream_name: string }): boolean => row.stream_name.startsWith('seizure-');

describe('verify-store against signed tree heads (real SQLite files)', () => {
  let root: string;
  let dataDir: string;
  let kept: string;
  let heads: SignedTreeHead[];
  let out: string[];
  let io: CliIo;

  const run = async (...args: string[]): Promise<{ code: number; text: string }> => {
    out = [];
    const code = await verifyStoreCommand.run(args, io);
    return { code, text: out.join('\n') };
  };
  /** Saves a head the way someone outside would keep it: the JSON the API served, in a file of their own. */
  const keep = (name: string, head: unknown): string => {
    const file = join(kept, name);
    writeFileSync(file, JSON.stringify(head, null, 2));
    return file;
  };
  /** The leaf index of an event: how many seizure events were committed before it. */
  const leafIndexOf = (globalPosition: number): number =>
    tamper(dataDir, (db) => eventRows(db, `global_position < ${globalPosition}`).filter(isSeizure).length);
  const headLine = (h: SignedTreeHead, source: string): string => `HEAD of ${h.treeSize} events signed ${h.timestamp} (${source})`;

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'ledger-heads-'));
    dataDir = join(root, 'data');
    kept = join(root, 'kept-elsewhere');
    mkdirSync(dataDir, { mode: 0o700 });
    mkdirSync(kept);
    io = { env: { LEDGER_DATA_DIR: dataDir }, cwd: projectRoot, stdout: (t) => out.push(t), stderr: () => undefined };
    heads = await buildSignedLedger(dataDir, [12, 12, 12]);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('a clean ledger passes: chain, every head in the data dir, and a head kept outside, each saying what it proved', async () => {
    const key = loadOrCreateSigningKey({ dataDir });
    const publicKey = keep('public-key.json', { logId: key.logId, algorithm: 'Ed25519', publicKey: key.publicKeyBase64 });
    const { code, text } = await run('--head', keep('head.json', heads[2]), '--public-key', publicKey);
    expect(code).toBe(0);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^chain: OK — \d+ events in \d+ streams hash-linked \(sqlite store\)/);
    expect(lines[1]).toContain(
      `heads in data dir: OK — 3 heads checked, signed by key ${key.logId.slice(0, 16)}… (log id) from the data dir`,
    );
    expect(lines[1]).toContain(`the log's first ${heads[2].treeSize} seizure events are exactly those the head of ${heads[2].treeSize}`);
    expect(lines[1]).toContain('These only catch careless edits: whoever can write the data dir can rewrite the log and re-sign them.');
    expect(lines[2]).toMatch(/^outside heads: OK — 1 head checked, signed by key [0-9a-f]{16}… \(log id\) from --public-key /);
    expect(lines[3]).toBe('OK: sqlite store: every check holds');
  });

  it('deleted newest events: the chain cannot see it, the newest head names the first missing leaf', async () => {
    const deleted = deleteNewestEvents(dataDir, 4).filter(isSeizure);
    expect(deleted.length).toBeGreaterThan(0);
    const remaining = heads[2].treeSize - deleted.length;

    const { code, text } = await run();
    expect(code).toBe(1);
    expect(text).toMatch(/^chain: OK/);
    expect(text).toContain('heads in data dir: BROKEN — 3 heads checked, 1 failed');
    expect(text).toContain(
      `  ${headLine(heads[2], 'tree_heads #3')}: LOG SHORTER: the log holds ${remaining} seizure events, ${deleted.length} fewer than the head commits to; ` +
        `first difference at leaf ${remaining}: the head's tree has the event at global position ${deleted[0].global_position} there`,
    );
    expect(text).toContain('the log has none');
    expect(text).toMatch(/\nBROKEN: sqlite store: the heads in the data dir failed$/);
  });

  it('a truncated stream: the first leaf that differs is the first event cut off', async () => {
    const rows = tamper(dataDir, (db) => eventRows(db).filter(isSeizure));
    // A stream whose later events are not the newest of the log, so the cut is mid-log.
    const stream = rows.find((r) => r.stream_revision === 2 && r.global_position < rows[rows.length - 5].global_position)!.stream_name;
    const cut = truncateStream(dataDir, stream, 1);
    const leaf = leafIndexOf(cut[0].global_position);
    const firstHeadCovering = heads.findIndex((h) => h.treeSize > leaf);

    const { code, text } = await run();
    expect(code).toBe(1);
    expect(text).toMatch(/^chain: BROKEN/);
    expect(text).toContain(`  ${headLine(heads[firstHeadCovering], `tree_heads #${firstHeadCovering + 1}`)}: ROOT DIFFERS:`);
    expect(text).toContain(
      `first difference at leaf ${leaf}: the head's tree has the event at global position ${cut[0].global_position} there (per the Merkle table, which reproduces the head's root), the log has `,
    );
    expect(text).toContain(`heads in data dir: BROKEN — 3 heads checked, ${3 - firstHeadCovering} failed`);
  });

  it('an edited event: the chain names it, and every head covering it names its leaf, stream and revision', async () => {
    const target = tamper(dataDir, (db) => eventRows(db).filter(isSeizure))[20];
    editEventData(dataDir, target.global_position, { tampered: true });
    const leaf = leafIndexOf(target.global_position);

    const { code, text } = await run('--json');
    expect(code).toBe(1);
    const result = JSON.parse(text) as LedgerVerification;
    expect(result.chain.problems[0]).toMatchObject({ kind: 'altered', globalPosition: target.global_position });
    const failures = result.dataDirHeads.failures;
    expect(failures.map((f) => f.treeSize)).toEqual(heads.filter((h) => h.treeSize > leaf).map((h) => h.treeSize));
    for (const f of failures) {
      expect(f).toMatchObject({ problem: 'root-differs', firstDifference: { exact: true, leafIndex: leaf } });
      expect(f.firstDifference).toMatchObject({
        head: { eventHash: target.hash, globalPosition: target.global_position },
        log: { streamName: target.stream_name, revision: target.stream_revision, globalPosition: target.global_position },
      });
    }
  });

  it('a ledger rewritten with fresh hashes and re-signed heads passes in the data dir, and is caught by a head kept outside', async () => {
    const early = keep('head-early.json', heads[0]);
    const latest = keep('head-latest.json', heads[2]);
    const rows = tamper(dataDir, (db) => eventRows(db).filter(isSeizure));
    const target = rows[heads[0].treeSize + 2];
    await rewriteLedger(dataDir, target.global_position, { amountPaise: 1 });

    const inside = await run();
    expect(inside.text).toMatch(/^chain: OK/);
    expect(inside.text).toContain('heads in data dir: OK — 3 heads checked');
    expect(inside.code).toBe(0);

    const outside = await run('--head', early, '--head', latest);
    expect(outside.code).toBe(1);
    expect(outside.text).toContain('outside heads: BROKEN — 2 heads checked, 1 failed');
    expect(outside.text).toContain(
      `  ${headLine(heads[2], latest)}: ROOT DIFFERS: the root of the log's first ${heads[2].treeSize} seizure events is `,
    );
    // The early head still holds, so the change is after it; the rewritten Merkle table cannot say where exactly.
    expect(outside.text).toContain(`the first difference is among leaves ${heads[0].treeSize}–${heads[2].treeSize - 1}`);
    expect(outside.text).toContain('the Merkle table in the data dir does not reproduce this head');
    expect(outside.text).toMatch(/\nBROKEN: sqlite store: the outside heads failed$/);
  });

  it('an outside head whose signature does not verify is a failure, said plainly', async () => {
    const forged = keep('forged.json', { ...heads[2], rootHash: heads[1].rootHash });
    const stranger = freshKey();
    const foreign = keep('foreign.json', signHead({ ...heads[2], logId: stranger.logId, keyId: stranger.logId }, stranger));

    const { code, text } = await run('--head', forged, '--head', foreign);
    expect(code).toBe(1);
    expect(text).toContain('outside heads: BROKEN — 2 heads checked, 2 failed');
    expect(text).toContain(
      `  ${forged}: BAD SIGNATURE: signed tree head JSON: the signature does not match the head's fields under this key`,
    );
    expect(text).toContain(
      `  ${foreign}: BAD SIGNATURE: signed tree head JSON: the head was signed by key ${stranger.logId.slice(0, 16)}…, which is not among the log's keys given`,
    );
    expect(text).toContain('heads in data dir: OK');
  });

  it('a data dir whose signing key is not the one given from outside fails, and so do outside heads under that key', async () => {
    const stranger = freshKey();
    const keyFile = join(kept, 'key.txt');
    writeFileSync(keyFile, `${stranger.publicKeyBase64}\n`);
    const { code, text } = await run('--head', keep('head.json', heads[2]), '--public-key', keyFile);
    expect(code).toBe(1);
    expect(text).toContain('heads in data dir: BROKEN');
    expect(text).toMatch(
      / {2}the data dir: WRONG KEY: the signing key in the data dir \(evidence-signing-key\.pem\) \(log [0-9a-f]{16}…\) is not the key given by --public-key /,
    );
    expect(text).toContain('outside heads: BROKEN — 1 head checked, 1 failed');
    expect(text).toContain(
      `BAD SIGNATURE: signed tree head JSON: the head was signed by key ${heads[2].logId.slice(0, 16)}…, which is not among the log's keys given`,
    );
  });

  it('refuses --head with --stream, and a key file that is no key', async () => {
    await expect(run('--stream', 'seizure-x', '--head', 'a.json')).rejects.toThrow(UsageError);
    await expect(run('--head', keep('h.json', heads[0]), '--public-key', keep('junk.txt', 'hello'))).rejects.toThrow(
      /--public-key .*junk\.txt: .*32 raw bytes|not base64/,
    );
  });
});

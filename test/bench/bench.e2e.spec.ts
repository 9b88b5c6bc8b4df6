import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `npm run bench` at a tiny size, as CI runs it, so the bench cannot rot. Only that it runs and
 * reports every figure is checked here; how fast anything is belongs to the bench's own table.
 */
const ROOT = resolve(__dirname, '..', '..');
const SEIZURES = 200;

const EXPECTED_MEASURES = [
  'limit.fdatasync',
  'limit.sqlite-insert-1',
  'limit.sqlite-insert-100',
  'limit.sqlite-read-parse',
  'limit.http-bare-route',
  'peer.emmett-append-c1',
  'peer.emmett-append-c64',
  'ours.store-append-c1',
  'ours.store-append-c64',
  'ours.http-commands',
  'ours.http-commands-idempotent',
  'ours.server-catch-up',
  'ours.rebuild',
  'ours.custody-history',
  'ours.evidence-bundle',
  'ours.server-rss',
  'ours.seal-4-fields',
  'ours.reveal-4-fields',
  'ours.key-create',
];

interface Results {
  workload: { seizures: number; events: number; eventsPerSeizure: { min: number; max: number } };
  measures: Record<string, { value: number; unit: string; latency?: { p50Ms: number; p99Ms: number; samples: number } }>;
  targets: Array<{ text: string; met: boolean | null; actual: number | null }>;
  table: string;
}

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '-s', 'bench', '--', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

describe('npm run bench', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'ledger-bench-test-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it(`measures every figure at ${SEIZURES} seizures and writes them as JSON`, async () => {
    const run = await runBench(['--seizures', String(SEIZURES), '--out', out, '--quiet']);
    if (run.code !== 0) throw new Error(`the bench exited with ${run.code}:\n${run.stderr}`);

    const files = readdirSync(out).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(1);
    const results = JSON.parse(readFileSync(join(out, files[0]), 'utf8')) as Results;

    expect(Object.keys(results.measures).sort()).toEqual([...EXPECTED_MEASURES].sort());
    for (const [id, measure] of Object.entries(results.measures)) {
      expect({ id, positive: Number.isFinite(measure.value) && measure.value > 0 }).toEqual({ id, positive: true });
      if (measure.latency) {
        expect({ id, p50: Number.isFinite(measure.latency.p50Ms), p99: measure.latency.p99Ms >= measure.latency.p50Ms }).toEqual({
          id,
          p50: true,
          p99: true,
        });
      }
    }
    for (const id of ['ours.store-append-c64', 'ours.http-commands', 'ours.custody-history', 'ours.evidence-bundle']) {
      expect(results.measures[id].latency?.samples).toBeGreaterThan(0);
    }

    expect(results.workload.seizures).toBe(SEIZURES);
    expect(results.workload.events).toBeGreaterThanOrEqual(6 * SEIZURES);
    expect(results.workload.events).toBeLessThanOrEqual(10 * SEIZURES);
    // Every target could be judged: nothing it needs was left out.
    expect(results.targets).toHaveLength(9);
    for (const target of results.targets) expect(typeof target.met).toBe('boolean');

    expect(run.stdout).toContain('| measure (ours)');
    expect(run.stdout).toContain(results.table);
  }, 300_000);

  it('refuses a bad command line with usage', async () => {
    const run = await runBench(['--seizures', 'many']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--seizures must be an integer');
    expect(run.stderr).toContain('Usage: npm run bench');
  }, 60_000);
});

/**
 * What the lowest stored level of the Merkle log costs and saves: for each level, 100,000 leaves
 * appended to a fresh file database (WAL, as the read models run), then the bytes of each table
 * and index by `dbstat`, the bytes written during the appends (WAL and checkpoints), and the time
 * of appends (without fsync), roots and proofs at random sizes, as CPU time of this process: on a
 * shared machine wall time mostly measures the neighbours. Level 0 is the layout written before (every complete subtree stored).
 * A quick script, not part of `npm run bench`:
 *
 *   npx ts-node --transpile-only bench/merkle-store-layout.ts [leaves] [levels, comma-separated]
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { LOWEST_STORED_LEVEL, SqliteMerkleTree } from '../src/evidence/merkle/sqlite/sqlite-merkle-tree';
import { startProcessCost } from './support/process-cost';

const leafCount = Number(process.argv[2] ?? 100_000);
const levels = (process.argv[3] ?? `0,3,4,${LOWEST_STORED_LEVEL},6,8`).split(',').map(Number);
const QUESTIONS = 3000;

/** CPU time of this process, user and system, in µs. */
const cpuMicros = (): number => {
  const used = process.cpuUsage();
  return used.user + used.system;
};

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const leaves = Array.from({ length: leafCount }, (_, i) => ({
  eventHash: createHash('sha256').update(`event ${i}`).digest(),
  globalPosition: i + 1,
}));

/** µs per call of `question` over QUESTIONS random (size, index) pairs, the same pairs for every level. */
function timeQuestions(question: (size: number, other: number) => unknown): number {
  const random = mulberry32(7);
  const started = cpuMicros();
  for (let q = 0; q < QUESTIONS; q++) {
    const size = 1 + Math.floor(random() * leafCount);
    question(size, Math.floor(random() * size));
  }
  return (cpuMicros() - started) / QUESTIONS;
}

function measure(level: number, dir: string, run: number): Record<string, number> {
  const db = new BetterSqlite3(join(dir, `run-${run}-level-${level}.sqlite`));
  db.pragma('journal_mode = WAL');
  // No fsync per commit: the single appends measure the tree's work, not the disk.
  db.pragma('synchronous = NORMAL');
  const tree = new SqliteMerkleTree(db, 'merkle_log', { lowestStoredLevel: level });
  tree.setup();
  // Batches of 1,000 as the live projector at its default, then single leaves as a quiet server sees them.
  const bulk = leafCount - 2000;
  const append = db.transaction((batch: typeof leaves) => tree.append(batch));
  const cost = startProcessCost();
  const started = cpuMicros();
  for (let start = 0; start < bulk; start += 1000) append(leaves.slice(start, Math.min(start + 1000, bulk)));
  const bulkMicros = cpuMicros() - started;
  const written = cost().bytesWritten ?? NaN;
  const singleStarted = cpuMicros();
  for (let i = bulk; i < leafCount; i++) append([leaves[i]]);
  const singleMicros = cpuMicros() - singleStarted;
  db.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = new Map(
    db
      .prepare<[], { name: string; bytes: number }>('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name')
      .all()
      .map((row) => [row.name, row.bytes]),
  );
  const nodes = bytes.get('merkle_log_nodes') ?? 0;
  const leafTables = [...bytes].filter(([name]) => name !== 'merkle_log_nodes' && name !== 'sqlite_schema').reduce((a, [, b]) => a + b, 0);
  const result = {
    level,
    nodeRows: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM merkle_log_nodes').get()?.n ?? 0,
    nodeBytesPerLeaf: nodes / leafCount,
    leafBytesPerLeaf: leafTables / leafCount,
    writtenBytesPerLeaf: written / bulk,
    bulkAppendMicrosPerLeaf: bulkMicros / bulk,
    singleAppendMicros: singleMicros / (leafCount - bulk),
    rootMicros: timeQuestions((size) => tree.root(size)),
    inclusionMicros: timeQuestions((size, index) => tree.inclusionProof(index, size)),
    consistencyMicros: timeQuestions((size, first) => tree.consistencyProof(first, size)),
  };
  db.close();
  return result;
}

const dir = mkdtempSync(join(tmpdir(), 'merkle-layout-'));
try {
  console.log(`${leafCount.toLocaleString('en-US')} leaves; ${QUESTIONS} roots and proofs at random sizes per level`);
  const rows = levels.map((level, run) => measure(level, dir, run));
  console.table(rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Math.round(v * 10) / 10]))));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

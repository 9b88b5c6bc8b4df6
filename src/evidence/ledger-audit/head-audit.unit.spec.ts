import { randomLeaves, seededRandom } from '../merkle/merkle.test-support';
import type { MerkleLeafRecord } from '../merkle/merkle-tree-store';
import { bytesToHex, rootOf } from '../merkle/rfc9162';
import { auditHeads, type HeadOrigin, type HeadUnderAudit, type MerkleReference } from './head-audit';
import type { LogLeaf } from './log-leaves';

const hashes = randomLeaves(seededRandom(11), 40).map(bytesToHex);

async function* leavesOf(eventHashes: readonly string[]): AsyncGenerator<LogLeaf> {
  for (const [i, eventHash] of eventHashes.entries()) {
    yield {
      leafIndex: i,
      eventHash,
      storedHashMatches: true,
      event: { streamName: `seizure-${i % 3}`, revision: i, globalPosition: i + 1 },
    };
  }
}

const rootHex = (eventHashes: readonly string[], size: number): string =>
  bytesToHex(rootOf(eventHashes.slice(0, size).map((h) => Uint8Array.from(Buffer.from(h, 'hex')))));

function headOver(eventHashes: readonly string[], treeSize: number, origin: HeadOrigin = 'data-dir'): HeadUnderAudit {
  const minute = String(treeSize % 60).padStart(2, '0');
  return {
    treeSize,
    rootHash: rootHex(eventHashes, treeSize),
    timestamp: `2024-04-20T06:${minute}:00.000Z`,
    logId: 'a'.repeat(64),
    origin,
    source: `head ${treeSize}`,
  };
}

/** The Merkle table as it was when the heads were signed. */
function tableOf(eventHashes: readonly string[]): MerkleReference {
  const records: MerkleLeafRecord[] = eventHashes.map((eventHash, i) => ({ leafIndex: i, eventHash, globalPosition: i + 1 }));
  return {
    size: () => records.length,
    rootHex: (size) => rootHex(eventHashes, size),
    leavesFrom: (start, limit) => records.slice(start, start + limit),
  };
}

describe('auditing a log against signed heads', () => {
  const heads = [0, 1, 7, 8, 21, 40].map((size) => headOver(hashes, size));

  it('reproduces the root of every head of an intact log, the empty tree included', async () => {
    const audit = await auditHeads(leavesOf(hashes), heads, tableOf(hashes));
    expect(audit.leaves).toBe(40);
    expect(audit.findings.map((f) => [f.head.treeSize, f.ok])).toEqual(heads.map((h) => [h.treeSize, true]));
  });

  it.each([0, 7, 20, 39])('names leaf %i exactly when it was changed and the table still reproduces the heads', async (changed) => {
    const edited = hashes.map((h, i) => (i === changed ? 'f'.repeat(64) : h));
    const audit = await auditHeads(leavesOf(edited), heads, tableOf(hashes));
    for (const f of audit.findings) {
      expect(f.ok).toBe(f.head.treeSize <= changed);
      if (!f.ok) {
        expect(f.problem).toBe('root-differs');
        expect(f.firstDifference).toEqual({
          exact: true,
          leafIndex: changed,
          head: { eventHash: hashes[changed], globalPosition: changed + 1 },
          log: { streamName: `seizure-${changed % 3}`, revision: changed, globalPosition: changed + 1, eventHash: 'f'.repeat(64) },
        });
      }
    }
  });

  it('says the log is shorter than a head, and where the missing leaves begin', async () => {
    const audit = await auditHeads(leavesOf(hashes.slice(0, 30)), heads, tableOf(hashes));
    const last = audit.findings[audit.findings.length - 1];
    expect(last).toMatchObject({
      ok: false,
      problem: 'log-shorter',
      detail: 'the log holds 30 seizure events, 10 fewer than the head commits to',
    });
    expect(last.firstDifference).toMatchObject({ exact: true, leafIndex: 30, head: { globalPosition: 31 }, log: null });
    expect(audit.findings.filter((f) => !f.ok)).toHaveLength(1);
  });

  it('without a table that reproduces the head, names only the range after the largest head of the same origin that holds', async () => {
    const rewritten = hashes.map((h, i) => (i === 25 ? 'e'.repeat(64) : h));
    const outside = [headOver(hashes, 8, 'outside'), headOver(hashes, 40, 'outside')];
    // The table was rewritten along with the log, and the data dir's heads re-signed over it.
    const resigned = [headOver(rewritten, 21), headOver(rewritten, 40)];
    const audit = await auditHeads(leavesOf(rewritten), [...resigned, ...outside], tableOf(rewritten));
    expect(audit.findings.filter((f) => !f.ok).map((f) => `${f.head.origin} ${f.head.treeSize}`)).toEqual(['outside 40']);
    const failed = audit.findings.find((f) => !f.ok && f.head.origin === 'outside');
    expect(failed?.firstDifference).toMatchObject({
      exact: false,
      fromLeaf: 8,
      toLeaf: 39,
      fromEvent: { globalPosition: 9 },
    });
  });
});

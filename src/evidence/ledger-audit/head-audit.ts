import { Frontier, type MerkleLeafRecord } from '../merkle/merkle-tree-store';
import { nativeLeafHash } from '../merkle/native-hashes';
import { EMPTY_ROOT, bytesToHex, hexToBytes } from '../merkle/rfc9162';
import type { EventPlace, LogLeaf } from './log-leaves';
import type { CommittedHead } from './outside-head';

/** In the data dir (whoever can write it can re-sign these), or kept by someone outside it. */
export type HeadOrigin = 'data-dir' | 'outside';

export interface HeadUnderAudit extends CommittedHead {
  origin: HeadOrigin;
  /** Where the head came from: the data dir's tree_heads table, or the file given. */
  source: string;
}

/** The Merkle table kept in the data dir. Never trusted: only used to name the first leaf that differs. */
export interface MerkleReference {
  size(): number;
  /** Throws when the table is damaged. */
  rootHex(treeSize: number): string;
  leavesFrom(startIndex: number, limit: number): MerkleLeafRecord[];
}

/** The first leaf where the log and a head part, or, when it cannot be named, the leaves it must be among. */
export type FirstDifference =
  | {
      exact: true;
      leafIndex: number;
      /** What the head's tree held there, as the Merkle table (which reproduces the head's root) records it. */
      head: { eventHash: string; globalPosition: number | null };
      /** What the log holds there now; null when the log ends before it. */
      log: (EventPlace & { eventHash: string }) | null;
    }
  | { exact: false; fromLeaf: number; toLeaf: number; fromEvent: EventPlace | null; why: string };

export type HeadProblem = 'log-shorter' | 'root-differs';

export interface HeadFinding {
  head: HeadUnderAudit;
  ok: boolean;
  problem?: HeadProblem;
  detail?: string;
  firstDifference?: FirstDifference;
}

export interface HeadAudit {
  /** Leaves (seizure events) in the log now. */
  leaves: number;
  /** One per head, smallest tree first. */
  findings: HeadFinding[];
}

const TABLE_PAGE = 1000;

/** Walks the table's leaves beside the log's and remembers where they first part. */
class TableComparison {
  private page: MerkleLeafRecord[] = [];
  private pageStart = 0;
  divergence: { leafIndex: number; table: MerkleLeafRecord | null; log: LogLeaf | null } | null = null;

  constructor(private readonly reference: MerkleReference | undefined) {}

  compare(leaf: LogLeaf): void {
    if (this.reference === undefined || this.divergence !== null) return;
    const stored = this.tableLeaf(leaf.leafIndex);
    if (stored?.eventHash !== leaf.eventHash) this.divergence = { leafIndex: leaf.leafIndex, table: stored ?? null, log: leaf };
  }

  /** The log ended after `count` leaves: if the table goes on, they part there. */
  end(count: number): void {
    if (this.reference === undefined || this.divergence !== null) return;
    const stored = this.tableLeaf(count);
    if (stored !== undefined) this.divergence = { leafIndex: count, table: stored, log: null };
  }

  private tableLeaf(index: number): MerkleLeafRecord | undefined {
    if (index >= this.pageStart + this.page.length) {
      this.pageStart = index;
      this.page = this.reference?.leavesFrom(index, TABLE_PAGE) ?? [];
    }
    const record = this.page[index - this.pageStart];
    return record?.leafIndex === index ? record : undefined;
  }
}

/**
 * Recomputes the log's Merkle root at the size of every head, in one pass over the leaves with
 * O(log n) memory (the tree's right edge), and compares. A head whose root the log does not
 * reproduce gets the first leaf that differs: exactly, from the Merkle table, when that table
 * still reproduces the head's root; otherwise only the range it must lie in.
 */
export async function auditHeads(
  leaves: AsyncIterable<LogLeaf>,
  heads: readonly HeadUnderAudit[],
  reference?: MerkleReference,
): Promise<HeadAudit> {
  const sorted = [...heads].sort((a, b) => a.treeSize - b.treeSize || (a.timestamp ?? '').localeCompare(b.timestamp ?? ''));
  const sizes = new Set(sorted.map((h) => h.treeSize));
  const rootAt = new Map<number, string>();
  // The first event after each head's tree, to name where an unplaceable difference may start.
  const eventAt = new Map<number, EventPlace>();
  const frontier = Frontier.load(() => EMPTY_ROOT, 0);
  const table = new TableComparison(reference);
  if (sizes.has(0)) rootAt.set(0, bytesToHex(EMPTY_ROOT));
  let count = 0;
  for await (const leaf of leaves) {
    if (count === 0 || sizes.has(count)) eventAt.set(count, leaf.event);
    frontier.push(nativeLeafHash(hexToBytes(leaf.eventHash)));
    count++;
    if (sizes.has(count)) rootAt.set(count, bytesToHex(frontier.root()));
    table.compare(leaf);
  }
  table.end(count);

  const reproduced = (h: HeadUnderAudit): boolean => rootAt.get(h.treeSize) === h.rootHash;
  const findings = sorted.map((head): HeadFinding => {
    if (reproduced(head)) return { head, ok: true };
    const shorter = head.treeSize > count;
    return {
      head,
      ok: false,
      problem: shorter ? 'log-shorter' : 'root-differs',
      detail: shorter
        ? `the log holds ${count} seizure events, ${head.treeSize - count} fewer than the head commits to`
        : `the root of the log's first ${head.treeSize} seizure events is ${rootAt.get(head.treeSize)?.slice(0, 16)}…, the head signed ${head.rootHash.slice(0, 16)}…`,
      firstDifference: locate(head),
    };
  });
  return { leaves: count, findings };

  function locate(head: HeadUnderAudit): FirstDifference {
    const d = table.divergence;
    if (d !== null && d.leafIndex < head.treeSize && d.table !== null && tableReproduces(reference, head)) {
      return {
        exact: true,
        leafIndex: d.leafIndex,
        head: { eventHash: d.table.eventHash, globalPosition: d.table.globalPosition },
        log: d.log === null ? null : { ...d.log.event, eventHash: d.log.eventHash },
      };
    }
    // A smaller head of the same origin that the log reproduces vouches for the leaves below it.
    const below = sorted.filter((h) => h.origin === head.origin && h.treeSize < head.treeSize && reproduced(h));
    const fromLeaf = below.length === 0 ? 0 : below[below.length - 1].treeSize;
    return {
      exact: false,
      fromLeaf,
      toLeaf: head.treeSize - 1,
      fromEvent: eventAt.get(fromLeaf) ?? null,
      why: "the Merkle table in the data dir does not reproduce this head's root either (rewritten with the log, or damaged), and a root commits to all its leaves at once",
    };
  }
}

function tableReproduces(reference: MerkleReference | undefined, head: HeadUnderAudit): boolean {
  if (reference === undefined) return false;
  try {
    return reference.size() >= head.treeSize && reference.rootHex(head.treeSize) === head.rootHash;
  } catch {
    return false;
  }
}

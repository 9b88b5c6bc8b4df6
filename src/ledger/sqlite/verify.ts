import { ChainVerifier, type ChainVerification } from '../hash-chain';
import { toStoredRecord, type EventStatements } from './event-rows';

/** Runs a database call, turning the driver's failures into the port's typed errors. */
export type Guard = <T>(work: () => T) => T;

export const VERIFY_PAGE_SIZE = 1000;

export async function verifyStream(stmt: EventStatements, guard: Guard, streamName: string): Promise<ChainVerification> {
  const verifier = new ChainVerifier({ densePositions: false });
  let after = -1;
  for (;;) {
    const page = guard(() => stmt.streamPage.all(streamName, after, VERIFY_PAGE_SIZE));
    for (const row of page) verifier.checkChain(toStoredRecord(row));
    if (page.length < VERIFY_PAGE_SIZE) break;
    after = page[page.length - 1].stream_revision;
    await yieldToEventLoop();
  }
  return verifier.result();
}

/** Two paged passes, so the log is never held in memory: every stream's chain, then the global order. */
export async function verifyAll(stmt: EventStatements, guard: Guard): Promise<ChainVerification> {
  const verifier = new ChainVerifier({ densePositions: true });
  // Pass 1: every stream's chain, in revision order.
  let after: [string, number] = ['', -1];
  for (;;) {
    const page = guard(() => stmt.chainPage.all(after[0], after[1], VERIFY_PAGE_SIZE));
    for (const row of page) verifier.checkChain(toStoredRecord(row));
    if (page.length < VERIFY_PAGE_SIZE) break;
    const last = page[page.length - 1];
    after = [last.stream_name, last.stream_revision];
    await yieldToEventLoop();
  }
  // Pass 2: the global log, in commit order: no position skipped, no stream's revisions out of order.
  let position = 0;
  for (;;) {
    const page = guard(() => stmt.orderPage.all(position, VERIFY_PAGE_SIZE));
    for (const row of page) {
      verifier.checkCommitOrder({ streamName: row.stream_name, revision: row.stream_revision, globalPosition: row.global_position });
    }
    if (page.length < VERIFY_PAGE_SIZE) break;
    position = page[page.length - 1].global_position;
    await yieldToEventLoop();
  }
  return verifier.result();
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

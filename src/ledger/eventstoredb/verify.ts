import { FORWARDS } from '@eventstore/db-client';
import { ChainVerifier, type ChainVerification } from '../hash-chain';
import { isLedgerStreamName, storedRecordForVerification } from './eventstoredb-mapping';
import type { EventStoreDbReader } from './read';

/**
 * Chain verification over EventStoreDB. Positions are log offsets, so they are sparse and only
 * their order is checked, never their density. Events are decoded leniently: a damaged one is
 * reported as a broken link instead of stopping the walk.
 */

export async function verifyStream(reader: EventStoreDbReader, streamName: string): Promise<ChainVerification> {
  const verifier = new ChainVerifier({ densePositions: false });
  if (typeof streamName !== 'string' || !isLedgerStreamName(streamName)) return verifier.result();
  let from = 0;
  for (;;) {
    const page = await reader.readRaw(streamName, { fromRevision: BigInt(from), direction: FORWARDS, maxCount: reader.pageSize });
    if (!page || page.length === 0) break;
    for (const raw of page) verifier.checkChain(storedRecordForVerification(raw));
    if (page.length < reader.pageSize) break;
    from = Number(page[page.length - 1].revision) + 1;
  }
  return verifier.result();
}

/** One walk over $all: each stream's chain in revision order and every stream's commit order. */
export async function verifyAll(reader: EventStoreDbReader): Promise<ChainVerification> {
  const verifier = new ChainVerifier({ densePositions: false });
  await reader.walkAll(0, (e) => {
    const record = storedRecordForVerification(e);
    verifier.checkChain(record);
    verifier.checkCommitOrder(record);
    return true;
  });
  return verifier.result();
}

/**
 * A separate process for the idempotency store's multi-process test. Over IPC it receives
 * `{ filename, keys, request }`, opens the store, answers "ready", waits for "go", then claims
 * every key in turn (all processes racing for the same keys) and answers with the keys it won.
 */
import { idempotencyKeysFrom } from '../../src/platform/http/idempotency/idempotency-secret';
import type { ClaimRequest } from '../../src/platform/http/idempotency/idempotency-store';
import { SqliteIdempotencyStore } from '../../src/platform/http/idempotency/sqlite/sqlite-idempotency-store';
import { systemClock } from '../../src/shared/clock';

interface Setup {
  filename: string;
  keys: string[];
  request: ClaimRequest;
}

const send = (message: unknown): void => {
  process.send?.(message);
};

process.once('message', (setup: Setup) => {
  const store = SqliteIdempotencyStore.open({
    filename: setup.filename,
    clock: systemClock,
    // Claims only: no response is sealed, so any fixed secret will do.
    keys: idempotencyKeysFrom(Buffer.alloc(32, 1)),
  });
  process.once('message', () => {
    void (async () => {
      const won: string[] = [];
      for (const key of setup.keys) {
        const result = await store.claim({ ...setup.request, scope: { ...setup.request.scope, key } });
        if (result.outcome === 'claimed') won.push(key);
      }
      await store.close();
      send({ won });
      process.disconnect();
    })().catch((error: unknown) => {
      process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
      process.exit(1);
    });
  });
  send('ready');
});

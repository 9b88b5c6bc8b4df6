import { GroupCommitQueue, type Outcome } from './group-commit';

describe('GroupCommitQueue', () => {
  function recordingQueue(maxBatchSize = 100, decide: (n: number) => Outcome<string> = (n) => ({ ok: true, value: `done ${n}` })) {
    const batches: number[][] = [];
    const afterCommits: number[] = [];
    const queue = new GroupCommitQueue<number, string>({
      commit: (requests) => {
        batches.push([...requests]);
        return requests.map(decide);
      },
      afterCommit: (outcomes) => afterCommits.push(outcomes.length),
      maxBatchSize,
    });
    return { queue, batches, afterCommits };
  }

  it('commits requests submitted in the same turn of the event loop together, in order', async () => {
    const { queue, batches, afterCommits } = recordingQueue();
    const results = await Promise.all([1, 2, 3].map((n) => queue.submit(n)));
    expect(results).toEqual(['done 1', 'done 2', 'done 3']);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(afterCommits).toEqual([3]);
  });

  it('groups appenders that resume from the previous commit into the next one', async () => {
    const { queue, batches } = recordingQueue();
    // Eight workers, each submitting its next request as soon as its previous one is settled.
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; i < 3; i++) await queue.submit(w * 10 + i);
      }),
    );
    expect(batches.map((b) => b.length)).toEqual([8, 8, 8]);
  });

  it('settles each request on its own: one refusal does not fail its neighbours', async () => {
    const { queue } = recordingQueue(100, (n) =>
      n === 2 ? { ok: false, error: new Error('conflict on 2') } : { ok: true, value: `done ${n}` },
    );
    const settled = await Promise.allSettled([1, 2, 3].map((n) => queue.submit(n)));
    expect(settled).toEqual([
      { status: 'fulfilled', value: 'done 1' },
      { status: 'rejected', reason: new Error('conflict on 2') },
      { status: 'fulfilled', value: 'done 3' },
    ]);
  });

  it('rejects the whole batch with the error when the commit itself fails', async () => {
    const failure = new Error('disk full');
    const queue = new GroupCommitQueue<number, string>({
      commit: () => {
        throw failure;
      },
      maxBatchSize: 10,
    });
    const settled = await Promise.allSettled([1, 2].map((n) => queue.submit(n)));
    expect(settled).toEqual([
      { status: 'rejected', reason: failure },
      { status: 'rejected', reason: failure },
    ]);
  });

  it('rejects the batch if the commit returns the wrong number of outcomes, rather than leave a request hanging', async () => {
    const queue = new GroupCommitQueue<number, string>({ commit: () => [{ ok: true, value: 'only one' }], maxBatchSize: 10 });
    const settled = await Promise.allSettled([1, 2].map((n) => queue.submit(n)));
    expect(settled.every((s) => s.status === 'rejected')).toBe(true);
  });

  it('splits a burst into batches of at most maxBatchSize, oldest first', async () => {
    const { queue, batches } = recordingQueue(4);
    await Promise.all(Array.from({ length: 10 }, (_, i) => queue.submit(i)));
    expect(batches).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
  });

  it('flushAll commits everything waiting at once, so closing drops nothing', async () => {
    const { queue, batches } = recordingQueue(2);
    const pending = [1, 2, 3].map((n) => queue.submit(n));
    expect(queue.pending).toBe(3);
    queue.flushAll();
    expect(queue.pending).toBe(0);
    expect(batches).toEqual([[1, 2], [3]]);
    await expect(Promise.all(pending)).resolves.toEqual(['done 1', 'done 2', 'done 3']);
  });
});

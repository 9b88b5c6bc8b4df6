import { runOpenLoop, type OpenLoopClock, type SendOutcome } from '../../bench/measures/open-loop';

/**
 * A clock that only moves when someone waits on it: each wait runs the timers due before its end
 * in order, letting the promises they resolve run before time moves on, so latencies are exact.
 */
class VirtualClock implements OpenLoopClock {
  private time = 0;
  private timers: Array<{ at: number; fire: () => void }> = [];

  now(): number {
    return this.time;
  }

  at(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.timers.push({ at: ms, fire: resolve });
      this.timers.sort((a, b) => a.at - b.at);
    });
  }

  async sleepUntil(ms: number): Promise<void> {
    while (this.timers.length > 0 && this.timers[0].at <= ms) {
      const timer = this.timers.shift() as { at: number; fire: () => void };
      this.time = Math.max(this.time, timer.at);
      timer.fire();
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.time = Math.max(this.time, ms);
  }
}

/** One request at a time, `serviceMs` each, and nothing at all between `stallFrom` and `stallUntil`. */
function serialServer(clock: VirtualClock, serviceMs: number, stall?: { from: number; until: number }) {
  let freeAt = 0;
  const sentAt: number[] = [];
  const send = (index: number): Promise<SendOutcome> => {
    sentAt[index] = clock.now();
    let start = Math.max(clock.now(), freeAt);
    if (stall && start + serviceMs > stall.from && start < stall.until) start = stall.until;
    freeAt = start + serviceMs;
    return clock.at(freeAt).then(() => 'ok' as const);
  };
  return { send, sentAt };
}

describe('open-loop load', () => {
  it('sends every request at its due time and counts latency from it when the server keeps up', async () => {
    const clock = new VirtualClock();
    const server = serialServer(clock, 2);

    const result = await runOpenLoop({ rate: 100, seconds: 1, send: server.send, drainMs: 1000, clock });

    expect(result.scheduled).toBe(100);
    expect(result.ok).toBe(100);
    expect(server.sentAt).toEqual(Array.from({ length: 100 }, (_, i) => i * 10));
    expect(result.latency.samples).toBe(100);
    expect(result.latency.p50Ms).toBe(2);
    expect(result.latency.maxMs).toBe(2);
    expect(result.maxOutstanding).toBe(1);
    expect(result.maxSendLagMs).toBe(0);
  });

  it('keeps sending on schedule through a stall and charges each request the wait since its due time (no coordinated omission)', async () => {
    const clock = new VirtualClock();
    // 100 requests/s, 1 ms each; the server stops answering from 200 ms to 700 ms.
    const server = serialServer(clock, 1, { from: 200, until: 700 });

    const result = await runOpenLoop({ rate: 100, seconds: 1, send: server.send, drainMs: 1000, clock });

    // Requests due during the stall went out on time, though the ones before them were unanswered.
    expect(server.sentAt.slice(20, 71)).toEqual(Array.from({ length: 51 }, (_, i) => 200 + i * 10));
    expect(result.maxOutstanding).toBeGreaterThanOrEqual(50);
    expect(result.latency.samples).toBe(100);
    // The first request due in the stall waited all of it: 500 ms, plus its 1 ms of service.
    expect(result.latency.maxMs).toBe(501);
    expect(result.ok).toBe(100);
    // Request k (20 ≤ k ≤ 75) is answered at 701 + (k − 20) ms, due at 10k ms: 681 − 9k ms late;
    // the other 44 take their 1 ms. A closed loop would have sent one request into the stall and
    // recorded one slow sample; here 56 of 100 count it, so p90 and p99 show the stall.
    expect(result.latency.p50Ms).toBe(51);
    expect(result.latency.p90Ms).toBe(411);
    expect(result.latency.p99Ms).toBe(492);
  });

  it('counts requests still unanswered at the end of the drain as waiting until then, never leaves them out', async () => {
    const clock = new VirtualClock();
    const never = (): Promise<SendOutcome> => new Promise(() => undefined);

    const result = await runOpenLoop({ rate: 10, seconds: 1, send: never, drainMs: 500, clock });

    expect(result.scheduled).toBe(10);
    expect(result.ok).toBe(0);
    expect(result.unanswered).toBe(10);
    expect(result.latency.samples).toBe(10);
    // Last due at 900 ms, drain to 1,400 ms: the first request waited 1,400 ms, the last 500 ms, the fifth 900 ms.
    expect(result.latency.maxMs).toBe(1400);
    expect(result.latency.p50Ms).toBe(900);
  });

  it('counts from the due time even when the sender itself wakes late', async () => {
    const clock = new VirtualClock();
    // The bench's own process stalls once: woken for the request due at 500 ms only at 560 ms.
    const late: OpenLoopClock = {
      now: () => clock.now(),
      sleepUntil: (ms) => clock.sleepUntil(ms === 500 ? 560 : ms),
    };
    const server = serialServer(clock, 1);

    const result = await runOpenLoop({ rate: 100, seconds: 1, send: server.send, drainMs: 100, clock: late });

    expect(result.maxSendLagMs).toBe(60);
    expect(server.sentAt.slice(50, 57)).toEqual([560, 560, 560, 560, 560, 560, 560]);
    expect(result.latency.maxMs).toBe(61);
  });

  it('counts refused requests apart from answered ones', async () => {
    const clock = new VirtualClock();
    const send = (i: number): Promise<SendOutcome> => clock.at(clock.now() + 1).then(() => (i % 4 === 0 ? 'failed' : 'ok'));

    const result = await runOpenLoop({ rate: 40, seconds: 1, send, drainMs: 100, clock });

    expect({ ok: result.ok, failed: result.failed, unanswered: result.unanswered }).toEqual({ ok: 30, failed: 10, unanswered: 0 });
  });
});

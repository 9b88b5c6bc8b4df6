import type { ProjectedEvent } from '../../projections/projection';
import type { Actor } from '../../shared/actor';
import { parseLastEventId, sseMessage, toFeedEventData } from './feed-message';

const recorded = {
  type: 'SeizureRecorded',
  seizureId: 's-1',
  streamName: 'seizure-s-1',
  revision: 0,
  globalPosition: 42,
  eventId: 'e-1',
  hash: 'ab'.repeat(32),
  recordedAt: '2024-04-20T06:00:01.000Z',
  metadata: {
    actor: { sub: 'u-fs', name: 'A', unit: 'U', agency: 'flying_squad', roles: ['officer'] },
    occurredAt: '2024-04-20T06:00:00.000Z',
  },
  data: { seizureId: 's-1', memoNumber: 'M-1', seizedFrom: { name: 'Ramesh\nChandra' }, witnesses: [{ name: 'W' }], vehicleNumber: 'UP65' },
} as unknown as ProjectedEvent;

const withRoles = (...roles: Actor['roles']): Actor => ({
  sub: 'u',
  name: 'n',
  roles,
  unit: 'u',
  agency: 'police',
  scope: { national: true },
});

describe('live feed messages', () => {
  it('carry the event with its position, hash, time and actor; personal data only for officers, committees and courts', () => {
    expect(toFeedEventData(recorded, withRoles('court'))).toEqual({
      seizureId: 's-1',
      type: 'SeizureRecorded',
      revision: 0,
      globalPosition: 42,
      occurredAt: '2024-04-20T06:00:00.000Z',
      actorSub: 'u-fs',
      hash: 'ab'.repeat(32),
      data: recorded.data,
      redacted: false,
    });
    const forTreasury = toFeedEventData(recorded, withRoles('treasury', 'auditor'));
    expect(forTreasury.data).toEqual({
      seizureId: 's-1',
      memoNumber: 'M-1',
      seizedFrom: { redacted: true, reason: expect.any(String) },
      witnesses: { redacted: true, reason: expect.any(String) },
      vehicleNumber: 'UP65',
    });
    expect(JSON.stringify(forTreasury)).not.toContain('Ramesh');
    expect(forTreasury.redacted).toBe(true);
    // Events with no personal data are never marked.
    expect(toFeedEventData({ ...recorded, type: 'FirRegistered' } as unknown as ProjectedEvent, withRoles('treasury')).redacted).toBe(
      false,
    );
  });

  it('are one SSE message each, the data on a single line', () => {
    const message = sseMessage(toFeedEventData(recorded, withRoles('officer')));
    const lines = message.split('\n');
    expect(lines.slice(0, 2)).toEqual(['id: 42', 'event: SeizureRecorded']);
    expect(lines[2].startsWith('data: {')).toBe(true);
    expect(lines.slice(3)).toEqual(['', '']);
    expect(JSON.parse(lines[2].slice(6)).data.seizedFrom.name).toBe('Ramesh\nChandra');
  });

  it('resume after Last-Event-ID (header first, then the query), and refuse anything but a position', () => {
    expect(parseLastEventId(undefined, undefined)).toBeUndefined();
    expect(parseLastEventId('', '')).toBeUndefined();
    expect(parseLastEventId(' 17 ', '3')).toBe(17);
    expect(parseLastEventId(undefined, '0')).toBe(0);
    for (const bad of ['-1', '1.5', 'abc', '99999999999999999']) expect(() => parseLastEventId(bad, undefined)).toThrow(/Last-Event-ID/);
    expect(() => parseLastEventId(undefined, ['1', '2'])).toThrow(/Last-Event-ID/);
  });
});

import { CATEGORIES, type Category } from '../../src/custody/values';
import { VALUE_SHARE } from '../../bench/workload/category-mix';
import { MAX_EVENTS_PER_SEIZURE, MIN_EVENTS_PER_SEIZURE, planSeizure } from '../../bench/workload/seizure-plan';
import { Workload, WorkloadTally } from '../../bench/workload/workload';

describe('the benchmark workload', () => {
  it('is the same for the same seed, seizure by seizure, however it is generated', () => {
    const one = new Workload(400, 7);
    const other = new Workload(400, 7);
    const inChunks = [...one.chunks(64)].flat();
    expect(inChunks).toHaveLength(400);
    for (const index of [0, 1, 63, 64, 211, 399]) {
      expect(other.seizure(index)).toEqual(inChunks[index]);
    }
  });

  it('differs with the seed', () => {
    const a = new Workload(10, 1).seizure(3);
    const b = new Workload(10, 2).seizure(3);
    expect(a.seizureId).not.toEqual(b.seizureId);
    expect(a.appends[0].events[0].id).not.toEqual(b.appends[0].events[0].id);
  });

  it('gives every seizure 1 to 5 items and 6 to 10 events, about 8 on average, appended revision after revision', () => {
    const tally = new WorkloadTally();
    for (const chunk of new Workload(3000, 2024).chunks(500)) {
      for (const seizure of chunk) {
        tally.add(seizure);
        expect(seizure.eventCount).toBeGreaterThanOrEqual(MIN_EVENTS_PER_SEIZURE);
        expect(seizure.eventCount).toBeLessThanOrEqual(MAX_EVENTS_PER_SEIZURE);
        expect(seizure.items.length).toBeGreaterThanOrEqual(1);
        expect(seizure.items.length).toBeLessThanOrEqual(5);
        let revision = -1;
        for (const append of seizure.appends) {
          expect(append.expectedRevision).toEqual(revision === -1 ? 'no_stream' : revision);
          revision += append.events.length;
        }
        expect(seizure.appends[0].events[0].type).toBe('SeizureRecorded');
      }
    }
    const summary = tally.summary();
    expect(summary.eventsPerSeizure.mean).toBeGreaterThan(7.5);
    expect(summary.eventsPerSeizure.mean).toBeLessThan(8.5);
    // Every stage of custody occurs in the mix.
    for (const type of [
      'ItemsValued',
      'CustodyTransferInitiated',
      'CustodyTransferAccepted',
      'CashDeposited',
      'DepositConfirmed',
      'ReleaseOrdered',
      'ItemsReleased',
      'ItemsDisposed',
    ]) {
      expect(summary.eventTypes[type]).toBeGreaterThan(100);
    }
  });

  it('shares value like the 2024 election: drugs 45 %, freebies and other 22 %, precious metals 14 %, cash 10 %, liquor 9 %', () => {
    const value = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
    for (let index = 0; index < 20_000; index++) {
      for (const item of planSeizure(2024, index).record.data.items) value[item.category] += item.estimatedValuePaise;
    }
    const total = Object.values(value).reduce((sum, v) => sum + v, 0);
    const share = (categories: Category[]) => categories.reduce((sum, c) => sum + value[c], 0) / total;
    const expected = (categories: Category[]) => categories.reduce((sum, c) => sum + VALUE_SHARE[c], 0);
    for (const group of [['drugs'], ['freebies', 'other'], ['precious_metals'], ['cash'], ['liquor']] as Category[][]) {
      expect(Math.abs(share(group) - expected(group))).toBeLessThan(0.025);
    }
    expect(expected(['drugs'])).toBe(0.45);
    expect(expected(['freebies', 'other'])).toBeCloseTo(0.22);
  });

  it('writes money and quantities as positive whole numbers and times as UTC instants', () => {
    for (const seizure of new Workload(300, 11).chunks(300).next().value ?? []) {
      for (const item of seizure.items) {
        expect(Number.isSafeInteger(item.quantity) && item.quantity > 0).toBe(true);
        expect(Number.isSafeInteger(item.estimatedValuePaise) && item.estimatedValuePaise > 0).toBe(true);
        if (item.category === 'cash') expect(item.estimatedValuePaise).toBe(item.quantity);
      }
      for (const append of seizure.appends) {
        for (const event of append.events)
          expect(String(event.metadata?.occurredAt)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      }
    }
  });
});

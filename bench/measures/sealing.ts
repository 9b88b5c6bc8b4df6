import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { systemClock } from '../../src/shared/clock';
import type { JsonValue } from '../../src/shared/json';
import { loadKek } from '../../src/sealing/kek-source';
import type { SubjectKey } from '../../src/sealing/key-store';
import { keyIdsOf, revealFields, sealFields } from '../../src/sealing/seal-fields';
import { SqliteKeyStore } from '../../src/sealing/sqlite/sqlite-key-store';
import { SUBJECTS } from '../../src/sealing/subjects';
import type { BenchConsole } from '../report/console';
import { rate, type Measure } from '../report/measure';
import { DISTRICTS } from '../workload/geography';
import { personSeizedFrom, witnesses } from '../workload/people';
import { Random, LANES } from '../workload/random';
import { LatencyRecorder, nowMs } from './latency';

/** The personal-data fields of a seizure memo, one key each: the person, two witnesses, the free text. */
const PATHS = ['/seizedFrom', '/witnesses/0', '/witnesses/1', '/remarks'] as const;
const SUBJECT_OF = {
  '/seizedFrom': SUBJECTS.seizedFrom,
  '/witnesses/0': SUBJECTS.witness(1),
  '/witnesses/1': SUBJECTS.witness(2),
  '/remarks': SUBJECTS.freeText,
} as const;

/** Seizures whose keys are created; every later event reuses one of them. */
const SEIZURES = 64;

function seizureData(random: Random): JsonValue {
  const district = random.pick(DISTRICTS);
  const person = personSeizedFrom(random, district);
  return {
    memoNumber: `FS/${district.code}/${random.int(1, 9999)}`,
    seizedFrom: { ...person },
    witnesses: witnesses(random, district)
      .slice(0, 2)
      .map((w) => ({ ...w })),
    remarks: `found with ${person.name} near ${district.name}`,
  };
}

/**
 * Sealing and revealing one event with 4 personal-data fields, the pure work only (commitments,
 * AES-256-GCM, canonical JSON), with the keys fetched once per seizure from a real key store as
 * the command handler and read models will. Key creation (a synced commit per new subject) is
 * a write of its own, measured apart (`keyFor` of a new subject); `keyFor` of an existing one is
 * a read and is left out of both figures.
 */
export async function measureSealing(dir: string, seed: number, seconds: number, reporter: BenchConsole): Promise<Measure[]> {
  const store = SqliteKeyStore.open({ filename: join(dir, 'personal-data-keys.sqlite'), kek: loadKek({}, dir), clock: systemClock });
  const seal = new LatencyRecorder();
  const reveal = new LatencyRecorder();
  const create = new LatencyRecorder();
  const progress = reporter.phase('seal + reveal, 4 fields/event', Math.round(seconds), 's');
  const deadline = nowMs() + seconds * 1000;
  try {
    for (let i = 0; nowMs() < deadline; i++) {
      // The first SEIZURES iterations create their keys (synced); later ones reuse them, as later events of a seizure do.
      const seizureId = `SZ-${i % SEIZURES}`;
      const keys = new Map<string, SubjectKey>();
      for (const path of PATHS) {
        const started = nowMs();
        keys.set(path, await store.keyFor(seizureId, SUBJECT_OF[path]));
        if (i < SEIZURES) create.record(nowMs() - started);
      }
      const data = seizureData(new Random(seed, i, LANES.plan));
      const eventId = randomUUID();
      let started = nowMs();
      const { sealedData, envelopes } = sealFields(eventId, data, PATHS, (path) => keys.get(path)!);
      seal.record(nowMs() - started);
      const lookup = await store.lookup(keyIdsOf(envelopes));
      started = nowMs();
      const revealed = revealFields(eventId, sealedData, envelopes, lookup);
      reveal.record(nowMs() - started);
      if (revealed.fields.some((f) => f.status !== 'revealed')) throw new Error(`event ${i} did not reveal`);
      progress.update(Math.round(seconds - (deadline - nowMs()) / 1000));
    }
  } finally {
    await store.close();
  }
  const measure = (id: string, title: string, latency: LatencyRecorder, notes: string[]): Measure => {
    const summary = latency.summary();
    return {
      id,
      group: 'ours',
      title,
      value: rate(summary.samples, summary.meanMs * summary.samples),
      unit: 'events/s',
      latency: summary,
      operations: summary.samples,
      durationSeconds: (summary.meanMs * summary.samples) / 1000,
      notes,
    };
  };
  const measures = [
    measure('ours.seal-4-fields', 'seal an event, 4 personal-data fields', seal, ['one core, keys at hand; rate = 1 / mean time']),
    measure('ours.reveal-4-fields', 'reveal an event, 4 personal-data fields', reveal, [
      'one core, keys fetched beforehand; commitments checked',
    ]),
    {
      ...measure('ours.key-create', 'new personal-data key (synced commit)', create, [
        'one per new subject of a seizure, before its first event',
      ]),
      unit: 'keys/s',
    },
  ];
  progress.finish(
    `${Math.round(measures[0].value).toLocaleString('en-US')} seals/s, ${Math.round(measures[1].value).toLocaleString('en-US')} reveals/s`,
  );
  return measures;
}

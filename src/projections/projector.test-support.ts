import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { EventStore, NewEvent } from '../ledger/event-store';
import type { JsonObject, JsonValue } from '../shared/json';
import type { ProjectedEvent, Projection } from './projection';

/** Helpers for the projector's tests. Excluded from the build (see tsconfig.build.json). */

export interface TestProjectionOptions {
  name?: string;
  version?: number;
  /** Throws while applying an event this returns true for. */
  failOn?: (event: ProjectedEvent) => boolean;
  /** Sees every event applied, e.g. to check shapes or batching. */
  onApply?: (db: Database, event: ProjectedEvent) => void;
}

/**
 * A read model with one row per event and per-seizure counters updated in place: an event
 * applied twice or skipped changes the counters, so comparing two copies catches either.
 */
export function createTestProjection(options: TestProjectionOptions = {}): Projection {
  const name = options.name ?? 'test-projection';
  const t = tablesOf(name);
  return {
    name,
    version: options.version ?? 1,
    setup(db) {
      db.exec(`
        CREATE TABLE IF NOT EXISTS ${t.events} (
          global_position INTEGER PRIMARY KEY, seizure_id TEXT NOT NULL, revision INTEGER NOT NULL,
          type TEXT NOT NULL, actor_sub TEXT NOT NULL, occurred_at TEXT NOT NULL, hash TEXT NOT NULL, body TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS ${t.totals} (
          seizure_id TEXT PRIMARY KEY, events INTEGER NOT NULL, value_paise INTEGER NOT NULL,
          last_type TEXT NOT NULL, last_occurred_at TEXT NOT NULL
        );`);
    },
    teardown(db) {
      db.exec(`DROP TABLE IF EXISTS ${t.events}; DROP TABLE IF EXISTS ${t.totals};`);
    },
    apply(db, e) {
      options.onApply?.(db, e);
      if (options.failOn?.(e) === true) throw new Error(`test projection refuses event #${e.globalPosition}`);
      db.prepare(`INSERT INTO ${t.events} VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(
        e.globalPosition,
        e.seizureId,
        e.revision,
        e.type,
        e.metadata.actor.sub,
        e.metadata.occurredAt,
        e.hash,
        JSON.stringify(e.data),
      );
      const delta =
        e.type === 'SeizureRecorded'
          ? e.data.items.reduce((sum, i) => sum + i.estimatedValuePaise, 0)
          : e.type === 'ItemsValued'
            ? e.data.valuations.reduce((sum, v) => sum + v.valuePaise - v.previousValuePaise, 0)
            : 0;
      db.prepare(
        `INSERT INTO ${t.totals} VALUES (?, 1, ?, ?, ?)
         ON CONFLICT (seizure_id) DO UPDATE SET events = events + 1, value_paise = value_paise + excluded.value_paise,
           last_type = excluded.last_type, last_occurred_at = excluded.last_occurred_at`,
      ).run(e.seizureId, delta, e.type, e.metadata.occurredAt);
    },
  };
}

function tablesOf(name: string): { events: string; totals: string } {
  const base = `test_${name.replace(/[^a-z0-9]/gi, '_')}`;
  return { events: `${base}_events`, totals: `${base}_totals` };
}

/** Every row of a test projection, in a stable order, for comparing two copies. */
export function dumpTestProjection(db: Database, name = 'test-projection'): { events: unknown[]; totals: unknown[] } {
  const t = tablesOf(name);
  return {
    events: db.prepare(`SELECT * FROM ${t.events} ORDER BY global_position`).all(),
    totals: db.prepare(`SELECT * FROM ${t.totals} ORDER BY seizure_id`).all(),
  };
}

const ACTOR = { sub: 'u-fs-officer', name: 'Asha Verma', unit: 'FS-VNS-03', agency: 'flying_squad', roles: ['officer'] };

/** A small deterministic random generator (mulberry32), so a failing workload can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seizureRecordedData(seizureId: string, district = 'UP-VNS'): JsonObject {
  const state = district.split('-')[0];
  return {
    seizureId,
    memoNumber: `M-${seizureId.slice(0, 8)}`,
    seizedAt: '2024-04-19T05:30:00.000Z',
    location: {
      state,
      district,
      assemblyConstituency: 390,
      parliamentaryConstituency: 77,
      latitude: 25.3,
      longitude: 82.9,
      place: 'check post',
    },
    agency: 'flying_squad',
    team: 'Flying Squad 3',
    seizingOfficer: { sub: ACTOR.sub, name: ACTOR.name, unit: ACTOR.unit },
    magistrate: null,
    seizedFrom: { name: 'Ramesh Chandra', idDocument: { type: 'aadhaar', number: 'XXXX-XXXX-4321' }, address: 'Sigra', phone: null },
    vehicleNumber: 'UP65AB1234',
    witnesses: [
      { name: 'Mohan Lal', address: 'Cantt' },
      { name: 'Shabana Bano', address: 'Lahurabir' },
    ],
    media: [],
    election: { id: 'GE-2024', name: 'General Election 2024', pollDate: '2024-06-01' },
    linkedToCandidateOrParty: false,
    items: [
      {
        itemId: 'item-cash',
        category: 'cash',
        description: 'notes',
        quantity: 100_000,
        unit: 'paise',
        packages: 1,
        sealNumbers: ['S-1'],
        estimatedValuePaise: 100_000,
      },
    ],
    custodian: { kind: 'team', id: 'FS-VNS-03', name: 'Flying Squad 3' },
  };
}

/**
 * Appends `count` events round-robin-at-random to a few seizure streams (each starting with
 * SeizureRecorded, then revaluations), with an unrelated stream mixed in: positions are dense,
 * but not every event belongs to a seizure.
 */
export async function appendWorkload(
  store: EventStore,
  count: number,
  options: { seed?: number; seizures?: number; district?: string } = {},
): Promise<void> {
  const random = seededRandom(options.seed ?? 1);
  const seizures = Array.from({ length: options.seizures ?? 8 }, () => ({ id: randomUUID(), value: 100_000, recorded: false }));
  let minute = 0;
  for (let i = 0; i < count; i++) {
    const occurredAt = new Date(Date.UTC(2024, 3, 20, 6, 0) + minute++ * 60_000).toISOString();
    const metadata: JsonObject = { actor: ACTOR, occurredAt, command: 'test', schemaVersion: 1 };
    if (random() < 0.1) {
      await store.appendToStream('other-stream', [{ id: randomUUID(), type: 'SomethingElseHappened', data: { i }, metadata }]);
      continue;
    }
    const s = seizures[Math.floor(random() * seizures.length)];
    let event: NewEvent;
    if (!s.recorded) {
      s.recorded = true;
      event = { id: randomUUID(), type: 'SeizureRecorded', data: seizureRecordedData(s.id, options.district), metadata };
    } else {
      const valuePaise = 1 + Math.floor(random() * 10_000_000);
      const data: JsonValue = {
        valuations: [{ itemId: 'item-cash', valuePaise, previousValuePaise: s.value }],
        basis: 'test',
        reason: `step ${i}`,
      };
      s.value = valuePaise;
      event = { id: randomUUID(), type: 'ItemsValued', data, metadata };
    }
    await store.appendToStream(`seizure-${s.id}`, [event]);
  }
}

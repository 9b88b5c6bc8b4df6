import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '../shared/clock';
import { SqliteKeyStore } from '../sealing/sqlite/sqlite-key-store';
import { SUBJECTS } from '../sealing/subjects';
import { KeyStoreSealing, type EventToSeal } from '../custody/sealing/personal-data-sealing';
import { isSealedCell, personalCell, revealSealedCells } from './sealed-cells';

const SEIZURE = '5b0e7f1c-6a3e-4c1d-9d0e-2f4a8b6c1d3e';
const EVENT_ID = '0190d1a0-0000-7000-8000-000000000001';

describe('sealed cells: read models store commitments with their envelopes and reveal at query time (real key store)', () => {
  let dir: string;
  let keys: SqliteKeyStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-cells-'));
    const kek = { kek: createSecretKey(randomBytes(32)), source: 'PERSONAL_DATA_KEK', created: false } as const;
    keys = SqliteKeyStore.open({ filename: join(dir, 'keys.sqlite'), kek, clock: new FixedClock() });
  });
  afterEach(async () => {
    await keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function sealedEvent() {
    const data = { memoNumber: 'M-1', seizedFrom: { name: 'रमेश चंद्र' }, witnesses: [{ name: 'W-one' }, { name: 'W-two' }] };
    const {
      events: [sealed],
    } = await new KeyStoreSealing(keys).seal<EventToSeal>(SEIZURE, [], [{ id: EVENT_ID, type: 'SeizureRecorded', data }]);
    return { data, event: { eventId: sealed.id, data: sealed.data, envelopes: sealed.envelopes } };
  }

  it('stores no clear value, and opens every cell of an answer to the value it seals', async () => {
    const { data, event } = await sealedEvent();
    const witnesses = personalCell(event, 'witnesses') as unknown[];
    const seizedFrom = personalCell(event, 'seizedFrom');
    expect(witnesses.every(isSealedCell)).toBe(true);
    expect(isSealedCell(seizedFrom)).toBe(true);
    expect(JSON.stringify([witnesses, seizedFrom])).not.toMatch(/रमेश|W-one|W-two/);

    const answer = { items: [{ memo: 'M-1', personal: { seizedFrom, witnesses } }], count: 1 };
    expect(await revealSealedCells(answer, keys)).toEqual({
      items: [{ memo: 'M-1', personal: { seizedFrom: data.seizedFrom, witnesses: data.witnesses } }],
      count: 1,
    });
  });

  it('opens a cell to the erased marker once its subject is erased, the others still to their values', async () => {
    const { data, event } = await sealedEvent();
    const cells = { seizedFrom: personalCell(event, 'seizedFrom'), witnesses: personalCell(event, 'witnesses') };
    await keys.destroy(SEIZURE, SUBJECTS.witness(2));
    const shown = await revealSealedCells(cells, keys);
    expect(shown.seizedFrom).toEqual(data.seizedFrom);
    expect((shown.witnesses as unknown[])[0]).toEqual(data.witnesses[0]);
    expect((shown.witnesses as unknown[])[1]).toMatchObject({ erased: true });
  });

  it('leaves a cell moved to another event as its bare commitment, and values of events in clear as they are', async () => {
    const { event } = await sealedEvent();
    const cell = personalCell(event, 'seizedFrom') as { sealed: string; sealedCell: { eventId: string } };
    const moved = { ...cell, sealedCell: { ...cell.sealedCell, eventId: '0190d1a0-0000-7000-8000-000000000002' } };
    expect(await revealSealedCells({ moved }, keys)).toEqual({ moved: { sealed: cell.sealed } });
    const clear = { eventId: EVENT_ID, data: { reason: 'seal broken' } };
    expect(personalCell(clear, 'reason')).toBe('seal broken');
    expect(personalCell(clear, 'remarks')).toBeUndefined();
  });
});

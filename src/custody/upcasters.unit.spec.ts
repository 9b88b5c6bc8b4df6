import { CASH, custodians } from '../../test/support/custody-fixtures';
import { seizureRecorded } from '../../test/support/custody-fixtures';
import type { JsonValue } from '../shared/json';
import {
  EVENT_SCHEMA_VERSIONS,
  UnknownEventVersionError,
  upcastSeizureEvent,
  upcastTransferAcceptedV1,
  type CustodyTransferAcceptedV1,
} from './upcasters';
import { replaceUnsafeCharacters } from './legacy-sanitiser';
import type { SeizureRecorded } from './events';

const v1: CustodyTransferAcceptedV1 = {
  transferId: 't-1',
  itemIds: [CASH],
  from: custodians.flyingSquad,
  to: custodians.treasury,
  sealsIntact: false,
  sealNumbersFound: ['S-1001', 'S-1002'],
  countedQuantities: [{ itemId: CASH, quantity: 100 }],
  remarks: 'one bag torn',
};

describe('upcastSeizureEvent', () => {
  it('turns a v1 acceptance into the current shape, giving each seal found the single verdict v1 recorded', () => {
    expect(upcastSeizureEvent('CustodyTransferAccepted', v1 as never, 1)).toEqual({
      type: 'CustodyTransferAccepted',
      data: {
        transferId: 't-1',
        itemIds: [CASH],
        from: custodians.flyingSquad,
        to: custodians.treasury,
        seals: [
          { number: 'S-1001', condition: 'broken' },
          { number: 'S-1002', condition: 'broken' },
        ],
        countedQuantities: [{ itemId: CASH, quantity: 100 }],
        remarks: 'one bag torn',
      },
      recordedUnderOlderRules: { schemaVersion: 1, findings: [] },
    });
    expect(upcastSeizureEvent('CustodyTransferAccepted', { ...v1, sealsIntact: true } as never, 1).data).toMatchObject({
      seals: [
        { number: 'S-1001', condition: 'intact' },
        { number: 'S-1002', condition: 'intact' },
      ],
    });
  });

  it('passes current versions through unchanged and unmarked', () => {
    const v3 = { ...v1, sealsIntact: undefined, sealNumbersFound: undefined, seals: [{ number: 'S-1', condition: 'missing' }] };
    expect(upcastSeizureEvent('CustodyTransferAccepted', v3 as never, 3).data).toBe(v3);
    const fir = { firNumber: '1', policeStation: 'p', registeredOn: '2024-04-20', sections: [] };
    expect(upcastSeizureEvent('FirRegistered', fir, 2)).toEqual({ type: 'FirRegistered', data: fir });
  });

  it('marks a v1 acceptance as recorded under older rules after turning it into the current shape', () => {
    expect(upcastSeizureEvent('CustodyTransferAccepted', v1 as never, 1).recordedUnderOlderRules).toEqual({
      schemaVersion: 1,
      findings: [],
    });
    const v2 = upcastSeizureEvent('CustodyTransferAccepted', { ...upcastTransferAcceptedV1(v1), remarks: 'torn\u0000' } as never, 2);
    expect(v2.recordedUnderOlderRules).toEqual({ schemaVersion: 2, findings: ['remarks held a NUL character, shown as U+FFFD'] });
    expect(v2.data).toMatchObject({
      remarks: 'torn\uFFFD',
      seals: [
        { number: 'S-1001', condition: 'broken' },
        { number: 'S-1002', condition: 'broken' },
      ],
    });
  });

  it('refuses versions from the future, unknown types and nonsense versions', () => {
    expect(() => upcastSeizureEvent('CustodyTransferAccepted', {}, 4)).toThrow(UnknownEventVersionError);
    expect(() => upcastSeizureEvent('SomethingHappened', {}, 1)).toThrow(UnknownEventVersionError);
    expect(() => upcastSeizureEvent('FirRegistered', {}, 0)).toThrow(UnknownEventVersionError);
    expect(() => upcastSeizureEvent('FirRegistered', {}, 3)).toThrow(UnknownEventVersionError);
    expect(EVENT_SCHEMA_VERSIONS.CustodyTransferAccepted).toBe(3);
    expect(EVENT_SCHEMA_VERSIONS.SeizureRecorded).toBe(2);
    expect(EVENT_SCHEMA_VERSIONS.ItemsReleased).toBe(2);
  });
});

/** A SeizureRecorded as the old release stored it, with `change` applied to its data. */
function legacyRecord(change: (data: Record<string, unknown>) => void) {
  const { data } = seizureRecorded();
  const stored = JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
  change(stored);
  const read = upcastSeizureEvent('SeizureRecorded', stored as JsonValue, 1);
  return { data: read.data as SeizureRecorded['data'], findings: read.recordedUnderOlderRules?.findings ?? [] };
}

describe('legacy sanitiser: events stored under older rules', () => {
  it('marks every older event, even one that needed nothing', () => {
    expect(legacyRecord(() => undefined)).toMatchObject({ findings: [] });
    expect(upcastSeizureEvent('SeizureRecorded', seizureRecorded().data as never, 1).recordedUnderOlderRules).toEqual({
      schemaVersion: 1,
      findings: [],
    });
  });

  it('fills a missing election with explicit unknowns and no poll date', () => {
    const { data, findings } = legacyRecord((d) => delete d.election);
    expect(data.election).toEqual({ id: 'unknown', name: 'not recorded', pollDate: null });
    expect(findings).toEqual(['election was not recorded, read as not recorded']);
  });

  it('reads an election stored as an empty list as unknown, and a list of one as its entry', () => {
    expect(legacyRecord((d) => (d.election = [])).data.election).toEqual({ id: 'unknown', name: 'not recorded', pollDate: null });
    const one = legacyRecord((d) => (d.election = [d.election]));
    expect(one.data.election).toEqual({ id: 'GE-2024', name: 'General Election to Lok Sabha 2024', pollDate: '2024-06-01' });
    expect(one.findings).toEqual(['election was a list of one, read as its one entry']);
  });

  it('reads a numeric string coordinate as its number and anything else as null', () => {
    const strings = legacyRecord((d) => Object.assign(d.location as object, { latitude: '25.3', longitude: ' 82.9' }));
    expect(strings.data.location).toMatchObject({ latitude: 25.3, longitude: 82.9 });
    expect(strings.findings).toEqual([
      'location.latitude was the string "25.3", read as the number 25.3',
      'location.longitude was the string " 82.9", read as the number 82.9',
    ]);
    const nonsense = legacyRecord((d) => Object.assign(d.location as object, { latitude: 'north', longitude: null }));
    expect(nonsense.data.location).toMatchObject({ latitude: null, longitude: null });
    expect(nonsense.findings).toEqual([
      'location.latitude was text, read as not recorded (null)',
      'location.longitude was null, read as not recorded (null)',
    ]);
  });

  it('fills a missing location with unknown codes, constituency 0 and no coordinates', () => {
    const { data, findings } = legacyRecord((d) => delete d.location);
    expect(data.location).toEqual({
      state: 'unknown',
      district: 'unknown',
      assemblyConstituency: 0,
      parliamentaryConstituency: 0,
      latitude: null,
      longitude: null,
      place: 'not recorded',
    });
    expect(findings).toEqual(['location was not recorded, read as not recorded']);
  });

  it('replaces NUL, controls, lone surrogates and bidi controls with U+FFFD, naming the field and not its content', () => {
    const { data, findings } = legacyRecord((d) => {
      Object.assign(d.seizedFrom as object, { name: 'Ramesh\u0000Chand', address: 'Sigra,\tVaranasi\nUP\u001b[31m' });
      d.witnesses = [
        { name: 'Mohan \ud800Lal', address: 'Cantt' },
        { name: 'Shabana\u202E Bano\u2066', address: 'x\r' },
      ];
      d.team = 'Flying\tSquad\u0085';
    });
    expect(data.seizedFrom.name).toBe('Ramesh\uFFFDChand');
    // Newline and tab lay out free text; in a name they are controls.
    expect(data.seizedFrom.address).toBe('Sigra,\tVaranasi\nUP\uFFFD[31m');
    expect(data.witnesses.map((w) => w.name)).toEqual(['Mohan \uFFFDLal', 'Shabana\uFFFD Bano\uFFFD']);
    expect(data.team).toBe('Flying\uFFFDSquad\uFFFD');
    expect(findings).toEqual([
      'team held 2 control characters, shown as U+FFFD',
      'seizedFrom.name held a NUL character, shown as U+FFFD',
      'seizedFrom.address held a control character, shown as U+FFFD',
      'witnesses[0].name held an unpaired UTF-16 surrogate, shown as U+FFFD',
      'witnesses[1].name held 2 bidirectional control characters, shown as U+FFFD',
      'witnesses[1].address held a control character, shown as U+FFFD',
    ]);
    for (const finding of findings) expect(finding).not.toMatch(/Ramesh|Mohan|Shabana|Sigra/);
  });

  it('keeps paired surrogates (emoji, rare scripts) and ordinary Indian scripts untouched', () => {
    expect(replaceUnsafeCharacters('रमेश 😀 \ud83d', false)).toEqual({
      text: 'रमेश 😀 \uFFFD',
      replaced: new Map([['unpaired UTF-16 surrogate', 1]]),
    });
    expect(replaceUnsafeCharacters('\udc00a\ud800', false).text).toBe('\uFFFDa\uFFFD');
  });

  it('reads empty lists where objects belonged: no magistrate, no id document, unnamed person and witnesses, media left out', () => {
    const { data, findings } = legacyRecord((d) => {
      d.magistrate = [];
      d.seizedFrom = { idDocument: [], phone: null };
      d.witnesses = [[], []];
      d.media = [[]];
    });
    expect(data.magistrate).toBeNull();
    expect(data.seizedFrom).toEqual({ name: 'not recorded', idDocument: null, address: 'not recorded', phone: null });
    expect(data.witnesses).toEqual([
      { name: 'not recorded', address: 'not recorded' },
      { name: 'not recorded', address: 'not recorded' },
    ]);
    expect(data.media).toEqual([]);
    expect(findings).toEqual([
      'magistrate was an empty list, read as not recorded (null)',
      'seizedFrom.name was not recorded, read as "not recorded"',
      'seizedFrom.idDocument was an empty list, read as not recorded (null)',
      'seizedFrom.address was not recorded, read as "not recorded"',
      'witnesses[0] was an empty list, read as not recorded',
      'witnesses[1] was an empty list, read as not recorded',
      'media[0] was an empty list, left out',
    ]);
  });

  it('reads blank names as not recorded and notes a district outside the stated state', () => {
    const { data, findings } = legacyRecord((d) => {
      d.team = '   ';
      Object.assign(d.location as object, { district: 'BR-PAT' });
    });
    expect(data.team).toBe('not recorded');
    expect(findings).toEqual(['team was blank, read as "not recorded"', 'location.district is not a district of location.state']);
  });

  it('keeps fields it does not know, as stored', () => {
    expect(legacyRecord((d) => (d.placesVersion = 'v7')).data).toMatchObject({ placesVersion: 'v7' });
  });

  it('fills custodians and recipients that were stored as empty lists', () => {
    const initiated = upcastSeizureEvent(
      'CustodyTransferInitiated',
      { transferId: 't-1', itemIds: [CASH], from: custodians.flyingSquad, to: [], sealNumbers: [], reason: 'x' },
      1,
    );
    expect(initiated.data).toMatchObject({ to: { kind: 'team', id: 'unknown', name: 'not recorded' } });
    expect(initiated.recordedUnderOlderRules?.findings).toEqual(['to was an empty list, read as not recorded']);
    const released = upcastSeizureEvent(
      'ItemsReleased',
      {
        orderNumber: 'O-1',
        itemIds: [CASH],
        releasedTo: { name: 'Owner' },
        identityChecked: true,
        releasedBy: custodians.treasury,
        remarks: '',
      },
      1,
    );
    expect(released.data).toMatchObject({ releasedTo: { name: 'Owner', idDocument: { type: 'not recorded', number: 'unknown' } } });
    const ordered = upcastSeizureEvent(
      'ReleaseOrdered',
      {
        orderNumber: 'O-1',
        authority: 'dgc',
        orderedOn: '2024-04-20',
        itemIds: [CASH],
        releaseTo: { idDocument: null },
        reasons: 'bills shown for the cash',
      },
      1,
    );
    expect(ordered.data).toMatchObject({ releaseTo: { name: 'not recorded', idDocument: null } });
  });

  it('leaves out seal checks stored as empty lists, and cleans attachment file names', () => {
    const accepted = upcastSeizureEvent(
      'CustodyTransferAccepted',
      {
        transferId: 't-1',
        itemIds: [CASH],
        from: custodians.flyingSquad,
        to: custodians.treasury,
        seals: [[]],
        countedQuantities: [{ itemId: CASH, quantity: 1 }],
        remarks: 'ok',
      },
      2,
    );
    expect(accepted.data).toMatchObject({ seals: [] });
    expect(accepted.recordedUnderOlderRules?.findings).toEqual(['seals[0] was an empty list, left out']);
    const attachment = upcastSeizureEvent(
      'AttachmentAdded',
      { sha256: 'a'.repeat(64), sizeBytes: 1, mediaType: 'image/jpeg', fileName: 'memo\u202Egpj.exe', description: 'scan\u0000' },
      1,
    );
    expect(attachment.data).toMatchObject({ fileName: 'memo\uFFFDgpj.exe', description: 'scan\uFFFD' });
  });

  it('is deterministic, so projections rebuilt from the log come out the same', () => {
    const stored = { ...seizureRecorded().data, election: [] } as unknown as JsonValue;
    expect(upcastSeizureEvent('SeizureRecorded', stored, 1)).toEqual(upcastSeizureEvent('SeizureRecorded', stored, 1));
  });
});

import { actors, recordSeizureCommand, seizureRecorded } from '../../../test/support/custody-fixtures';
import { spec, as, recorded } from './seizure-history.test-support';

// RecordSeizure: the memo, its witnesses and items, the place from the reference data, the officer from the token.

describe('RecordSeizure', () => {
  it('records the seizure with the officer from the token and the team as first custodian', () => {
    spec
      .given([])
      .when(recordSeizureCommand(), as(actors.flyingSquad))
      .then([{ type: 'SeizureRecorded', data: seizureRecorded().data }]);
  });

  it('treats a retry by the same officer with the same memo as done, and any other reuse of the id as a clash', () => {
    spec.given([recorded]).when(recordSeizureCommand(), as(actors.flyingSquad)).then([]);
    spec
      .given([recorded])
      .when(recordSeizureCommand({ memoNumber: 'OTHER' }), as(actors.flyingSquad))
      .thenRefuses('seizure-already-recorded');
    spec.given([recorded]).when(recordSeizureCommand(), as(actors.flyingSquadColleague)).thenRefuses('seizure-already-recorded');
  });

  it.each([
    ['fewer than two witnesses', { witnesses: [{ name: 'A', address: 'B' }] }, 'too-few-witnesses'],
    ['no items', { items: [] }, 'no-items'],
    ['a seizure time in the future', { seizedAt: '2024-04-21T00:00:00.000Z' }, 'date-in-future'],
    ['cash counted in ml', { items: [{ ...recordSeizureCommand().data.items[0], unit: 'ml' as const }] }, 'unit-not-allowed'],
    ['a fractional quantity', { items: [{ ...recordSeizureCommand().data.items[1], quantity: 1.5 }] }, 'not-a-positive-integer'],
    ['a zero value', { items: [{ ...recordSeizureCommand().data.items[1], estimatedValuePaise: 0 }] }, 'not-a-positive-integer'],
    [
      'cash valued apart from its amount',
      { items: [{ ...recordSeizureCommand().data.items[0], estimatedValuePaise: 1 }] },
      'cash-value-differs',
    ],
    [
      'the same item id twice',
      { items: [recordSeizureCommand().data.items[0], recordSeizureCommand().data.items[0]] },
      'item-listed-twice',
    ],
  ])('refuses %s', (_name, overrides, code) => {
    spec.given([]).when(recordSeizureCommand(overrides), as(actors.flyingSquad)).thenRefuses(code);
  });

  it('refuses a seizure outside the officer’s jurisdiction', () => {
    spec.given([]).when(recordSeizureCommand(), as(actors.outOfDistrict)).thenRefuses('out-of-scope');
  });
});

describe('trust-core rules', () => {
  it("records the seizure in the officer's agency, from the token", () => {
    spec
      .given([])
      .when(recordSeizureCommand(), as(actors.police))
      .thenProduces((events) => {
        expect(events[0]).toMatchObject({
          type: 'SeizureRecorded',
          data: { agency: 'police', seizingOfficer: { sub: actors.police.sub } },
        });
      });
  });

  describe('places from the reference data', () => {
    const at = (location: Partial<ReturnType<typeof recordSeizureCommand>['data']['location']>) =>
      recordSeizureCommand({ location: { ...recordSeizureCommand().data.location, ...location } });

    it.each([
      ['a district outside its state', { state: 'MH' }],
      ['an unknown district', { district: 'UP-XYZ' }],
      ['an assembly constituency of another district', { assemblyConstituency: 173 }],
      ['a parliamentary constituency that does not contain the AC', { parliamentaryConstituency: 35 }],
    ])('refuses %s', (_what, location) => {
      spec.given([]).when(at(location), as(actors.flyingSquad)).thenRefuses('unknown-place');
    });

    it('stores any spelling of a district as its one stored spelling, with the data version', () => {
      spec
        .given([])
        .when(at({ district: 'UP-187' }), as(actors.flyingSquad))
        .thenProduces((events) => {
          expect(events[0]).toMatchObject({
            data: { location: { state: 'UP', district: 'UP-VNS' }, placesVersion: expect.stringMatching(/^\d{4}\.\d+$/) },
          });
        });
    });
  });
});

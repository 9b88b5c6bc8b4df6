import { PLACES_VERSION } from '../../src/places/places';
import type { Actor } from '../../src/shared/actor';
import type { Custodian } from '../../src/custody/values';
import type { SeizureRecorded } from '../../src/custody/events';
import type { RecordSeizure } from '../../src/custody/commands/record-seizure';

/** People of one district (Varanasi, Uttar Pradesh) acting on one seizure, as tokens describe them. */
const district = { national: false as const, states: [], districts: ['UP-VNS'] };

export const actors = {
  flyingSquad: { sub: 'u-fs-officer', name: 'Asha Verma', roles: ['officer'], unit: 'FS-VNS-03', agency: 'flying_squad', scope: district },
  flyingSquadColleague: {
    sub: 'u-fs-2',
    name: 'Ravi Kumar',
    roles: ['officer'],
    unit: 'FS-VNS-03',
    agency: 'flying_squad',
    scope: district,
  },
  otherTeam: {
    sub: 'u-sst-1',
    name: 'Meena Singh',
    roles: ['officer'],
    unit: 'SST-VNS-01',
    agency: 'static_surveillance_team',
    scope: district,
  },
  outOfDistrict: {
    sub: 'u-fs-lko',
    name: 'Vikram Rao',
    roles: ['officer'],
    unit: 'FS-LKO-01',
    agency: 'flying_squad',
    scope: { national: false as const, states: [], districts: ['UP-LKO'] },
  },
  treasuryOfficer: { sub: 'u-tr-1', name: 'Sunita Devi', roles: ['treasury'], unit: 'TR-VNS', agency: 'treasury', scope: district },
  treasuryAccountant: { sub: 'u-tr-2', name: 'Prakash Jha', roles: ['treasury'], unit: 'TR-VNS', agency: 'treasury', scope: district },
  otherTreasury: { sub: 'u-tr-lko', name: 'Anil Gupta', roles: ['treasury'], unit: 'TR-LKO', agency: 'treasury', scope: district },
  malkhana: { sub: 'u-mk-1', name: 'Head Constable Yadav', roles: ['custodian'], unit: 'MK-VNS-EXCISE', agency: 'excise', scope: district },
  police: { sub: 'u-ps-1', name: 'SHO Cantt', roles: ['officer'], unit: 'PS-VNS-CANTT', agency: 'police', scope: district },
  incomeTax: { sub: 'u-it-1', name: 'ITO Ward 2', roles: ['officer'], unit: 'IT-VNS', agency: 'income_tax', scope: district },
  committee: { sub: 'u-dgc-1', name: 'CDO Varanasi', roles: ['committee'], unit: 'DGC-VNS', agency: 'election_office', scope: district },
  court: {
    sub: 'u-court-1',
    name: 'CJM Varanasi',
    roles: ['court'],
    unit: 'COURT-CJM-VNS',
    agency: 'court',
    scope: { national: true as const },
  },
  auditor: {
    sub: 'u-audit-1',
    name: 'Expenditure Observer',
    roles: ['auditor'],
    unit: 'ECI-OBS',
    agency: 'election_office',
    scope: district,
  },
  admin: { sub: 'u-admin', name: 'District Admin', roles: ['admin'], unit: 'DEO-VNS', agency: 'election_office', scope: district },
} satisfies Record<string, Actor>;

export const SEIZURE_ID = '5b0e7f1c-6a3e-4c1d-9d0e-2f4a8b6c1d3e';
export const NOW = '2024-04-20T06:00:00.000Z';

export const CASH = 'item-cash';
export const LIQUOR = 'item-liquor';

export const custodians = {
  flyingSquad: { kind: 'team', id: 'FS-VNS-03', name: 'Flying Squad 3, Varanasi Cantt' },
  treasury: { kind: 'treasury', id: 'TR-VNS', name: 'District Treasury Varanasi' },
  malkhana: { kind: 'excise_warehouse', id: 'MK-VNS-EXCISE', name: 'Excise malkhana Varanasi' },
} satisfies Record<string, Custodian>;

/** A flying squad seizes Rs 12,50,000 cash and 48 litres of liquor from a car. */
export function recordSeizureCommand(overrides: Partial<RecordSeizure['data']> = {}): RecordSeizure {
  return {
    type: 'RecordSeizure',
    data: {
      seizureId: SEIZURE_ID,
      memoNumber: 'FS3/VNS/2024/117',
      seizedAt: '2024-04-19T05:30:00.000Z',
      location: {
        state: 'UP',
        district: 'UP-VNS',
        assemblyConstituency: 390,
        parliamentaryConstituency: 77,
        latitude: 25.3176,
        longitude: 82.9739,
        place: 'चेक पोस्ट, मुग़लसराय रोड',
      },
      team: custodians.flyingSquad.name,
      magistrate: { name: 'श्री आर. के. मिश्रा', designation: 'Executive Magistrate' },
      seizedFrom: {
        name: 'रमेश चंद्र',
        idDocument: { type: 'aadhaar', number: 'XXXX-XXXX-4321' },
        address: 'Sigra, Varanasi',
        phone: '+919800000000',
      },
      vehicleNumber: 'UP65AB1234',
      witnesses: [
        { name: 'Mohan Lal', address: 'Cantt, Varanasi' },
        { name: 'Shabana Bano', address: 'Lahurabir, Varanasi' },
      ],
      media: [{ kind: 'video', sha256: 'a'.repeat(64) }],
      election: { id: 'GE-2024', name: 'General Election to Lok Sabha 2024', pollDate: '2024-06-01' },
      linkedToCandidateOrParty: false,
      items: [
        {
          itemId: CASH,
          category: 'cash',
          description: 'Rs 500 notes, 2500 pieces',
          quantity: 125_000_000,
          unit: 'paise',
          packages: 1,
          sealNumbers: ['S-1001'],
          estimatedValuePaise: 125_000_000,
        },
        {
          itemId: LIQUOR,
          category: 'liquor',
          description: 'Whisky, 64 bottles of 750 ml',
          quantity: 48_000,
          unit: 'ml',
          packages: 4,
          sealNumbers: ['S-1002', 'S-1003'],
          estimatedValuePaise: 4_800_000,
        },
      ],
      ...overrides,
    },
  };
}

export function seizureRecorded(overrides: Partial<RecordSeizure['data']> = {}): SeizureRecorded & { actorSub: string } {
  const d = recordSeizureCommand(overrides).data;
  return {
    type: 'SeizureRecorded',
    actorSub: actors.flyingSquad.sub,
    data: {
      ...d,
      agency: actors.flyingSquad.agency,
      placesVersion: PLACES_VERSION,
      seizingOfficer: { sub: actors.flyingSquad.sub, name: actors.flyingSquad.name, unit: actors.flyingSquad.unit },
      custodian: custodians.flyingSquad,
    },
  };
}

import type { Agency } from '../../src/shared/actor';
import type { Custodian, Election } from '../../src/custody/values';

/**
 * Where seizures happen: districts of the 2024 general election with their poll dates (the seven
 * phases from 19 April to 1 June), and the offices that take custody there.
 */
export interface District {
  state: string;
  /** e.g. UP-VNS, as the API's district codes. */
  code: string;
  name: string;
  assemblyConstituency: number;
  parliamentaryConstituency: number;
  latitude: number;
  longitude: number;
  pollDate: string;
}

export const DISTRICTS: readonly District[] = [
  {
    state: 'UP',
    code: 'UP-VNS',
    name: 'Varanasi',
    assemblyConstituency: 390,
    parliamentaryConstituency: 77,
    latitude: 25.3176,
    longitude: 82.9739,
    pollDate: '2024-06-01',
  },
  {
    state: 'UP',
    code: 'UP-LKO',
    name: 'Lucknow',
    assemblyConstituency: 173,
    parliamentaryConstituency: 35,
    latitude: 26.8467,
    longitude: 80.9462,
    pollDate: '2024-05-20',
  },
  {
    state: 'UP',
    code: 'UP-AGR',
    name: 'Agra',
    assemblyConstituency: 87,
    parliamentaryConstituency: 18,
    latitude: 27.1767,
    longitude: 78.0081,
    pollDate: '2024-05-07',
  },
  {
    state: 'MH',
    code: 'MH-MUM',
    name: 'Mumbai City',
    assemblyConstituency: 187,
    parliamentaryConstituency: 31,
    latitude: 18.922,
    longitude: 72.8347,
    pollDate: '2024-05-20',
  },
  {
    state: 'MH',
    code: 'MH-PUN',
    name: 'Pune',
    assemblyConstituency: 215,
    parliamentaryConstituency: 34,
    latitude: 18.5204,
    longitude: 73.8567,
    pollDate: '2024-05-13',
  },
  {
    state: 'TN',
    code: 'TN-CHN',
    name: 'Chennai',
    assemblyConstituency: 16,
    parliamentaryConstituency: 4,
    latitude: 13.0827,
    longitude: 80.2707,
    pollDate: '2024-04-19',
  },
  {
    state: 'TN',
    code: 'TN-CBE',
    name: 'Coimbatore',
    assemblyConstituency: 118,
    parliamentaryConstituency: 20,
    latitude: 11.0168,
    longitude: 76.9558,
    pollDate: '2024-04-19',
  },
  {
    state: 'KA',
    code: 'KA-BLR',
    name: 'Bengaluru Urban',
    assemblyConstituency: 161,
    parliamentaryConstituency: 25,
    latitude: 12.9716,
    longitude: 77.5946,
    pollDate: '2024-04-26',
  },
  {
    state: 'KA',
    code: 'KA-MYS',
    name: 'Mysuru',
    assemblyConstituency: 217,
    parliamentaryConstituency: 21,
    latitude: 12.2958,
    longitude: 76.6394,
    pollDate: '2024-04-26',
  },
  {
    state: 'WB',
    code: 'WB-KOL',
    name: 'Kolkata',
    assemblyConstituency: 160,
    parliamentaryConstituency: 23,
    latitude: 22.5726,
    longitude: 88.3639,
    pollDate: '2024-06-01',
  },
  {
    state: 'RJ',
    code: 'RJ-JPR',
    name: 'Jaipur',
    assemblyConstituency: 49,
    parliamentaryConstituency: 7,
    latitude: 26.9124,
    longitude: 75.7873,
    pollDate: '2024-04-19',
  },
  {
    state: 'RJ',
    code: 'RJ-BMR',
    name: 'Barmer',
    assemblyConstituency: 135,
    parliamentaryConstituency: 17,
    latitude: 25.7532,
    longitude: 71.3967,
    pollDate: '2024-04-26',
  },
  {
    state: 'GJ',
    code: 'GJ-AMD',
    name: 'Ahmedabad',
    assemblyConstituency: 44,
    parliamentaryConstituency: 8,
    latitude: 23.0225,
    longitude: 72.5714,
    pollDate: '2024-05-07',
  },
  {
    state: 'GJ',
    code: 'GJ-KCH',
    name: 'Kachchh',
    assemblyConstituency: 1,
    parliamentaryConstituency: 1,
    latitude: 23.7337,
    longitude: 69.8597,
    pollDate: '2024-05-07',
  },
  {
    state: 'PB',
    code: 'PB-ASR',
    name: 'Amritsar',
    assemblyConstituency: 17,
    parliamentaryConstituency: 2,
    latitude: 31.634,
    longitude: 74.8723,
    pollDate: '2024-06-01',
  },
  {
    state: 'PB',
    code: 'PB-LDH',
    name: 'Ludhiana',
    assemblyConstituency: 60,
    parliamentaryConstituency: 7,
    latitude: 30.901,
    longitude: 75.8573,
    pollDate: '2024-06-01',
  },
  {
    state: 'TG',
    code: 'TG-HYD',
    name: 'Hyderabad',
    assemblyConstituency: 64,
    parliamentaryConstituency: 9,
    latitude: 17.385,
    longitude: 78.4867,
    pollDate: '2024-05-13',
  },
  {
    state: 'AP',
    code: 'AP-VSP',
    name: 'Visakhapatnam',
    assemblyConstituency: 23,
    parliamentaryConstituency: 4,
    latitude: 17.6868,
    longitude: 83.2185,
    pollDate: '2024-05-13',
  },
  {
    state: 'BR',
    code: 'BR-PAT',
    name: 'Patna',
    assemblyConstituency: 181,
    parliamentaryConstituency: 30,
    latitude: 25.5941,
    longitude: 85.1376,
    pollDate: '2024-06-01',
  },
  {
    state: 'MP',
    code: 'MP-IDR',
    name: 'Indore',
    assemblyConstituency: 205,
    parliamentaryConstituency: 26,
    latitude: 22.7196,
    longitude: 75.8577,
    pollDate: '2024-05-13',
  },
  {
    state: 'DL',
    code: 'DL-NDL',
    name: 'New Delhi',
    assemblyConstituency: 40,
    parliamentaryConstituency: 4,
    latitude: 28.6139,
    longitude: 77.209,
    pollDate: '2024-05-25',
  },
  {
    state: 'KL',
    code: 'KL-TVM',
    name: 'Thiruvananthapuram',
    assemblyConstituency: 134,
    parliamentaryConstituency: 20,
    latitude: 8.5241,
    longitude: 76.9366,
    pollDate: '2024-04-26',
  },
  {
    state: 'OD',
    code: 'OD-KHD',
    name: 'Khordha',
    assemblyConstituency: 113,
    parliamentaryConstituency: 18,
    latitude: 20.2961,
    longitude: 85.8245,
    pollDate: '2024-05-20',
  },
  {
    state: 'AS',
    code: 'AS-KMM',
    name: 'Kamrup Metropolitan',
    assemblyConstituency: 52,
    parliamentaryConstituency: 2,
    latitude: 26.1445,
    longitude: 91.7362,
    pollDate: '2024-05-07',
  },
  {
    state: 'MN',
    code: 'MN-IMW',
    name: 'Imphal West',
    assemblyConstituency: 19,
    parliamentaryConstituency: 1,
    latitude: 24.817,
    longitude: 93.9368,
    pollDate: '2024-04-19',
  },
];

/** The Model Code of Conduct came into force on 16 March 2024; seizures are counted from then. */
export const MCC_START = '2024-03-16T00:00:00.000Z';

export const electionFor = (district: District): Election => ({
  id: 'GE-2024',
  name: 'General Election to Lok Sabha 2024',
  pollDate: district.pollDate,
});

/** The part of a district code after the state: UP-VNS → VNS. */
const short = (district: District): string => district.code.slice(district.code.indexOf('-') + 1);

/** The offices of a district that hold, order or check seized property. */
export interface DistrictOffices {
  treasury: Custodian;
  malkhana: Custodian;
  exciseWarehouse: Custodian;
  committeeUnit: string;
  courtUnit: string;
  incomeTaxUnit: string;
  policeStationUnit: string;
}

export function officesOf(district: District): DistrictOffices {
  const s = short(district);
  return {
    treasury: { kind: 'treasury', id: `TR-${s}`, name: `District Treasury ${district.name}` },
    malkhana: { kind: 'malkhana', id: `MK-${s}`, name: `Police malkhana ${district.name}` },
    exciseWarehouse: { kind: 'excise_warehouse', id: `EXW-${s}`, name: `Excise warehouse ${district.name}` },
    committeeUnit: `DGC-${s}`,
    courtUnit: `COURT-CJM-${s}`,
    incomeTaxUnit: `IT-${s}`,
    policeStationUnit: `PS-${s}-KOTWALI`,
  };
}

/** A seizing team: its unit id (the first custodian) and the name written on the memo. */
export interface Team {
  unit: string;
  name: string;
  agency: Agency;
  /** Central agencies' zonal units work across a state; the rest within one district. */
  jurisdiction: 'state' | 'district';
}

const TEAM_KINDS: Partial<Record<Agency, { prefix: string; label: string; count: number; perState?: boolean }>> = {
  flying_squad: { prefix: 'FS', label: 'Flying Squad', count: 6 },
  static_surveillance_team: { prefix: 'SST', label: 'Static Surveillance Team', count: 4 },
  police: { prefix: 'PS', label: 'Police Station', count: 5 },
  excise: { prefix: 'EX', label: 'Excise Enforcement', count: 2 },
  income_tax: { prefix: 'ITI', label: 'Income Tax Investigation Wing', count: 1 },
  ncb: { prefix: 'NCB', label: 'Narcotics Control Bureau zonal unit', count: 1, perState: true },
  dri: { prefix: 'DRI', label: 'Directorate of Revenue Intelligence', count: 1, perState: true },
  customs: { prefix: 'CUS', label: 'Customs Preventive', count: 1, perState: true },
  gst: { prefix: 'GST', label: 'State GST Enforcement', count: 2 },
};

export const SEIZING_AGENCIES = Object.keys(TEAM_KINDS) as Agency[];

export function teamOf(district: District, agency: Agency, number: number): Team {
  const kind = TEAM_KINDS[agency];
  if (!kind) throw new Error(`no seizing team is defined for agency ${agency}`);
  const n = ((number - 1) % kind.count) + 1;
  const where = kind.perState ? district.state : short(district);
  return {
    unit: `${kind.prefix}-${where}-${String(n).padStart(2, '0')}`,
    name: kind.perState ? `${kind.label} ${n}, ${district.state}` : `${kind.label} ${n}, ${district.name}`,
    agency,
    jurisdiction: kind.perState ? 'state' : 'district',
  };
}

export const teamCount = (agency: Agency): number => TEAM_KINDS[agency]?.count ?? 1;

export const PLACES = [
  'Check post, National Highway',
  'Inter-state border naka',
  'Railway station parking',
  'Toll plaza',
  'Bus stand',
  'Warehouse, industrial area',
  'Godown near the mandi',
  'Residential premises',
  'चेक पोस्ट, मुग़लसराय रोड',
  'नाका, रेलवे स्टेशन रोड',
  'Airport cargo terminal',
  'Fishing harbour',
] as const;

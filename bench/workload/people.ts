import type { PersonSeizedFrom, Witness } from '../../src/custody/values';
import type { District } from './geography';
import type { Random } from './random';

/** Names, ids and addresses of the people on a seizure memo, made up from common Indian names. */

const GIVEN_NAMES = [
  'Asha',
  'Ravi',
  'Meena',
  'Vikram',
  'Sunita',
  'Prakash',
  'Anil',
  'Shabana',
  'Mohan',
  'Lakshmi',
  'Arjun',
  'Kavita',
  'Suresh',
  'Fatima',
  'Harpreet',
  'Gurpreet',
  'Deepa',
  'Rajesh',
  'Priya',
  'Imran',
  'Sanjay',
  'Anjali',
  'Karthik',
  'Divya',
  'रमेश',
  'सीता',
  'राजेन्द्र',
  'गीता',
] as const;
const SURNAMES = [
  'Verma',
  'Kumar',
  'Singh',
  'Devi',
  'Jha',
  'Gupta',
  'Yadav',
  'Bano',
  'Lal',
  'Reddy',
  'Iyer',
  'Nair',
  'Patel',
  'Shah',
  'Das',
  'Banerjee',
  'Khan',
  'Sandhu',
  'Gill',
  'Naidu',
  'Pillai',
  'Mishra',
  'Chauhan',
  'Rao',
  'चंद्र',
  'शर्मा',
] as const;
const LOCALITIES = [
  'Ward 4',
  'Sigra',
  'Civil Lines',
  'Station Road',
  'Old City',
  'Gandhi Nagar',
  'Nehru Colony',
  'Market Road',
  'Sector 12',
] as const;
const ID_DOCUMENTS = ['aadhaar', 'voter-id', 'driving-licence', 'pan'] as const;
const STATE_RTO: Readonly<Record<string, string>> = {
  DL: 'DL',
  AP: 'AP',
  AS: 'AS',
  BR: 'BR',
  GJ: 'GJ',
  KA: 'KA',
  KL: 'KL',
  MH: 'MH',
  MN: 'MN',
  MP: 'MP',
  OD: 'OD',
  PB: 'PB',
  RJ: 'RJ',
  TG: 'TS',
  TN: 'TN',
  UP: 'UP',
  WB: 'WB',
};

export const personName = (random: Random): string => `${random.pick(GIVEN_NAMES)} ${random.pick(SURNAMES)}`;

export const addressIn = (random: Random, district: District): string =>
  `${random.int(1, 400)}, ${random.pick(LOCALITIES)}, ${district.name}`;

export function idDocument(random: Random): { type: string; number: string } {
  const type = random.pick(ID_DOCUMENTS);
  const number =
    type === 'aadhaar'
      ? `XXXX-XXXX-${String(random.int(0, 9999)).padStart(4, '0')}`
      : type === 'voter-id'
        ? `${random.pick(['ABC', 'UPV', 'MHX', 'TNZ'])}${String(random.int(0, 9_999_999)).padStart(7, '0')}`
        : `${random.hex(5).toUpperCase()}`;
  return { type, number };
}

export function personSeizedFrom(random: Random, district: District): PersonSeizedFrom {
  return {
    name: personName(random),
    idDocument: random.chance(0.8) ? idDocument(random) : null,
    address: addressIn(random, district),
    phone: random.chance(0.7) ? `+91${random.int(6, 9)}${String(random.int(0, 999_999_999)).padStart(9, '0')}` : null,
  };
}

export function witnesses(random: Random, district: District): Witness[] {
  const count = random.chance(0.8) ? 2 : 3;
  return Array.from({ length: count }, () => ({ name: personName(random), address: addressIn(random, district) }));
}

export function vehicleNumber(random: Random, district: District): string {
  const rto = STATE_RTO[district.state] ?? district.state;
  const letters = String.fromCharCode(65 + random.int(0, 25), 65 + random.int(0, 25));
  return `${rto}${String(random.int(1, 99)).padStart(2, '0')}${letters}${String(random.int(1, 9999)).padStart(4, '0')}`;
}

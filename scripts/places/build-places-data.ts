/**
 * Builds src/places/data/<version>/*.json from the downloaded source files (see
 * src/places/data/SOURCES.md for where each came from). Run once per data release:
 *
 *   npx ts-node --transpile-only scripts/places/build-places-data.ts <sources-dir> <version>
 *
 * <sources-dir> holds, unchanged:
 *   lgd_allDistrictofIndia_export.csv   (LGD "All Districts of India" export)
 *   india_2012-17_AC.csv                (assembly constituencies attribute table)
 *   india_pc_2019_simplified.geojson    (parliamentary constituencies)
 *
 * It never invents a place: anything it cannot map is printed and left out, and the per-state
 * gaps are written into the data so that the check skips them explicitly.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

type Kind = 'state' | 'union_territory';
/** LGD state code → our code (ISO 3166-2:IN) and kind. */
const STATES: Record<number, { code: string; kind: Kind }> = {
  35: { code: 'AN', kind: 'union_territory' },
  28: { code: 'AP', kind: 'state' },
  12: { code: 'AR', kind: 'state' },
  18: { code: 'AS', kind: 'state' },
  10: { code: 'BR', kind: 'state' },
  4: { code: 'CH', kind: 'union_territory' },
  22: { code: 'CT', kind: 'state' },
  38: { code: 'DH', kind: 'union_territory' },
  7: { code: 'DL', kind: 'union_territory' },
  30: { code: 'GA', kind: 'state' },
  24: { code: 'GJ', kind: 'state' },
  6: { code: 'HR', kind: 'state' },
  2: { code: 'HP', kind: 'state' },
  1: { code: 'JK', kind: 'union_territory' },
  20: { code: 'JH', kind: 'state' },
  29: { code: 'KA', kind: 'state' },
  32: { code: 'KL', kind: 'state' },
  37: { code: 'LA', kind: 'union_territory' },
  31: { code: 'LD', kind: 'union_territory' },
  23: { code: 'MP', kind: 'state' },
  27: { code: 'MH', kind: 'state' },
  14: { code: 'MN', kind: 'state' },
  17: { code: 'ML', kind: 'state' },
  15: { code: 'MZ', kind: 'state' },
  13: { code: 'NL', kind: 'state' },
  21: { code: 'OD', kind: 'state' },
  34: { code: 'PY', kind: 'union_territory' },
  3: { code: 'PB', kind: 'state' },
  8: { code: 'RJ', kind: 'state' },
  11: { code: 'SK', kind: 'state' },
  33: { code: 'TN', kind: 'state' },
  36: { code: 'TG', kind: 'state' },
  16: { code: 'TR', kind: 'state' },
  5: { code: 'UT', kind: 'state' },
  9: { code: 'UP', kind: 'state' },
  19: { code: 'WB', kind: 'state' },
};

/** Other codes in common use for a state; each documented in SOURCES.md. */
const STATE_ALIASES: Record<string, string> = { OR: 'OD', TS: 'TG', UK: 'UT', CG: 'CT', DN: 'DH', DD: 'DH' };

/** The short district codes the API used before this data existed → LGD district code. */
const DISTRICT_ALIASES: Record<string, number> = {
  'UP-VNS': 187,
  'UP-LKO': 162,
  'UP-AGR': 118,
  'MH-MUM': 482,
  'MH-PUN': 490,
  'TN-CHN': 568,
  'TN-CBE': 569,
  'KA-BLR': 525,
  'KA-MYS': 545,
  'WB-KOL': 315,
  'RJ-JPR': 102,
  'RJ-BMR': 90,
  'GJ-AMD': 438,
  'GJ-KCH': 449,
  'PB-ASR': 27,
  'PB-LDH': 36,
  'TG-HYD': 507,
  'AP-VSP': 520,
  'BR-PAT': 212,
  'MP-IDR': 410,
  'DL-NDL': 79,
  'KL-TVM': 565,
  'OD-KHD': 362,
  'AS-KMM': 618,
  'MN-IMW': 256,
};

/**
 * States whose constituencies in the sources predate the delimitation in force for 2024
 * (Assam: 2023 order; Jammu and Kashmir and Ladakh: 2022 order), so no AC/PC data is shipped.
 */
const NOT_COVERED: Record<string, string> = {
  AS: 'sources predate the 2023 delimitation of Assam',
  JK: 'sources predate the 2022 delimitation of Jammu and Kashmir',
  LA: 'sources predate the 2022 delimitation of Jammu and Kashmir (Ladakh PC)',
};

/** ACs that exist but the AC source lacks beyond its highest number (Sikkim 32 = Sangha, non-territorial). */
const KNOWN_BEYOND_SOURCE: Record<string, number[]> = { SK: [32] };

/** Census-2001 district names in the AC source that differ from the LGD name of the same district. */
const DISTRICT_NAME_FIXES: Record<string, string> = {
  'AP:CUDDAPAH': 'Y.S.R.',
  'AP:NELLORE': 'SPSR NELLORE',
  'AP:VISAKHAPATNAM': 'VISAKHAPATANAM',
  'AR:UPPER SIANG': 'UPPER SIANG',
  'CT:BASTER': 'BASTAR',
  'CT:KAWARDHA': 'KABIRDHAM',
  'CT:KORIYA': 'KOREA',
  'CT:JANJGIR - CHAMPA': 'JANJGIR-CHAMPA',
  'GJ:THE DANGS': 'DANG',
  'HR:GURGAON': 'GURUGRAM',
  'HP:LAHUL & SPITI': 'LAHUL AND SPITI',
  'JH:HAZARIBAG': 'HAZARIBAGH',
  'JH:KODARMA': 'KODERMA',
  'JH:PACHIM SINGHBHUM': 'WEST SINGHBHUM',
  'JH:PAKAUR': 'PAKUR',
  'JH:PURBI SINGHBHUM': 'EAST SINGHBUM',
  'JH:SAHIBGANJ': 'SAHEBGANJ',
  'JH:SARAIKELA': 'SARAIKELA KHARSAWAN',
  'KA:BAGALKOT': 'BAGALKOTE',
  'KA:BANGALORE': 'BENGALURU URBAN',
  'KA:BANGALORE RURAL': 'BENGALURU RURAL',
  'KA:BELGAUM': 'BELAGAVI',
  'KA:BELLARY': 'BALLARI',
  'KA:BIJAPUR': 'VIJAYAPURA',
  'KA:CHAMRAJNAGAR': 'CHAMARAJANAGARA',
  'KA:CHIKMAGALUR': 'CHIKKAMAGALURU',
  'KA:GULBARGA': 'KALABURAGI',
  'KA:MYSORE': 'MYSURU',
  'KA:SHIMOGA': 'SHIVAMOGGA',
  'KA:TUMKUR': 'TUMAKURU',
  'MP:ASHOK NAGAR': 'ASHOKNAGAR',
  'MP:NARSIMHAPUR': 'NARSINGHPUR',
  'MP:WEST NIMAR': 'KHARGONE',
  'MH:AHMADNAGAR': 'AHMEDNAGAR',
  'MH:BID': 'BEED',
  'MH:BULDANA': 'BULDHANA',
  'MH:GONDIYA': 'GONDIA',
  'MH:MUMBAI (SUBURBAN)': 'MUMBAI SUBURBAN',
  'MH:RAIGARH': 'RAIGAD',
  'ML:JAINTIA HILLS': 'WEST JAINTIA HILLS',
  'OD:BAUDH': 'BOUDH',
  'OD:DEBAGARH': 'DEOGARH',
  'OD:NABARANGAPUR': 'NABARANGPUR',
  'OD:SONAPUR': 'SONEPUR',
  'PB:FIROZPUR': 'FEROZEPUR',
  'PB:MUKTSAR': 'SRI MUKTSAR SAHIB',
  'PB:NAWANSHAHR': 'Shahid Bhagat Singh Nagar',
  'RJ:CHITTAURGARH': 'CHITTORGARH',
  'RJ:DHAULPUR': 'DHOLPUR',
  'RJ:JALOR': 'JALORE',
  'RJ:JHUNJHUNUN': 'JHUNJHUNU',
  'SK:EAST': 'EAST DISTRICT',
  'SK:NORTH': 'NORTH DISTRICT',
  'SK:SOUTH': 'SOUTH DISTRICT',
  'SK:WEST': 'WEST DISTRICT',
  'TN:KANCHEEPURAM': 'KANCHIPURAM',
  'TN:THOOTHUKKUDI': 'TUTICORIN',
  'TN:VILUPPURAM': 'VILLUPURAM',
  'TG:MAHBUBNAGAR': 'MAHABUBNAGAR',
  'TG:RANGAREDDI': 'RANGA REDDY',
  'UP:ALLAHABAD': 'PRAYAGRAJ',
  'UP:FAIZABAD': 'AYODHYA',
  'UP:JYOTIBA PHULE NAGAR': 'AMROHA',
  'UP:KUSHINAGAR': 'KUSHI NAGAR',
  'UP:SANT KABIR NAGAR': 'SANT KABEER NAGAR',
  'UP:SANT RAVIDAS NAGAR': 'BHADOHI',
  'UP:SHRAWASTI': 'SHRAVASTI',
  'UP:SIDDHARTHNAGAR': 'SIDDHARTH NAGAR',
  'UT:GARHWAL': 'PAURI GARHWAL',
  'UT:HARDWAR': 'HARIDWAR',
  'UT:RUDRAPRAYAG': 'RUDRA PRAYAG',
  'UT:UDHAM SINGH NAGAR': 'UDAM SINGH NAGAR',
  'UT:UTTARKASHI': 'UTTAR KASHI',
  'WB:BARDDHAMAN': 'PURBA BARDHAMAN',
  'WB:DAKSHIN DINAJPUR': 'DINAJPUR DAKSHIN',
  'WB:DARJILING': 'DARJEELING',
  'WB:HAORA': 'HOWRAH',
  'WB:HUGLI': 'HOOGHLY',
  'WB:KOCH BIHAR': 'COOCHBEHAR',
  'WB:NORTH 24 PARGANAS': '24 PARAGANAS NORTH',
  'WB:PASCHIM MEDINAPUR': 'MEDINIPUR WEST',
  'WB:PURBA MEDINAPUR': 'MEDINIPUR EAST',
  'WB:PURULIYA': 'PURULIA',
  'WB:SOUTH 24 PARGANAS': '24 PARAGANAS SOUTH',
  'WB:UTTAR DINAJPUR': 'DINAJPUR UTTAR',
  'BR:PURBA CHAMPARAN': 'PURBI CHAMPARAN',
};

/** State names as the AC and PC sources spell them → our code. */
const SOURCE_STATE_NAMES: Record<string, string> = {
  'ANDHRA PRADESH': 'AP',
  'ARUNACHAL PRADESH': 'AR',
  ASSAM: 'AS',
  BIHAR: 'BR',
  CHANDIGARH: 'CH',
  CHHATTISGARH: 'CT',
  DELHI: 'DL',
  GOA: 'GA',
  GUJARAT: 'GJ',
  HARYANA: 'HR',
  'HIMACHAL PRADESH': 'HP',
  'JAMMU & KASHMIR': 'JK',
  JHARKHAND: 'JH',
  KARNATAKA: 'KA',
  KERALA: 'KL',
  'MADHYA PRADESH': 'MP',
  MAHARASHTRA: 'MH',
  MANIPUR: 'MN',
  MEGHALAYA: 'ML',
  MIZORAM: 'MZ',
  NAGALAND: 'NL',
  ORISSA: 'OD',
  PUDUCHERRY: 'PY',
  PUNJAB: 'PB',
  RAJASTHAN: 'RJ',
  SIKKIM: 'SK',
  'TAMIL NADU': 'TN',
  TELANGANA: 'TG',
  TRIPURA: 'TR',
  'UTTAR PRADESH': 'UP',
  UTTARKHAND: 'UT',
  UTTARAKHAND: 'UT',
  'WEST BENGAL': 'WB',
  'DAMAN & DIU': 'DH',
  'DADRA & NAGAR HAVELI': 'DH',
  'ANDAMAN & NICOBAR': 'AN',
  LAKSHADWEEP: 'LD',
};

/** After the 2014 bifurcation AP's ACs 120–294 and PCs 18–42 were renumbered from 1 (Telangana kept 1–119, 1–17). */
const RENUMBER: Record<string, { ac: number; pc: number }> = { AP: { ac: 119, pc: 17 } };

const titleCase = (s: string): string =>
  s.toLowerCase().replace(/(^|[\s\-(./])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase());

function parseCsv(text: string): string[][] {
  return text
    .split(/\r\n|\r|\n/)
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const cells: string[] = [];
      const re = /("([^"]*)"|[^,]*)(,|$)/g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(line)) && m[0] !== '') {
        cells.push(m[2] ?? m[1]);
        if (m[3] === '') break;
      }
      return cells;
    });
}

interface District {
  code: string;
  lgd: number;
  name: string;
  state: string;
  aliases: string[];
  census2001?: number;
}

function buildStatesAndDistricts(dir: string) {
  const rows = parseCsv(readFileSync(join(dir, 'lgd_allDistrictofIndia_export.csv'), 'utf8')).slice(3);
  const states = new Map<string, { code: string; name: string; kind: Kind; lgd: number }>();
  const districts: District[] = [];
  for (const [lgd, name, stateLgd, stateName, census2001] of rows) {
    const st = STATES[Number(stateLgd)];
    if (!st) throw new Error(`no code for LGD state ${stateLgd} ${stateName}`);
    states.set(st.code, { code: st.code, name: titleCase(stateName), kind: st.kind, lgd: Number(stateLgd) });
    // Zero-padded so that every code fits the API's pattern (^[A-Z]{2,3}-[A-Z0-9]{2,12}$): JK-001.
    const code = `${st.code}-${lgd.padStart(3, '0')}`;
    const aliases = Object.keys(DISTRICT_ALIASES).filter((a) => DISTRICT_ALIASES[a] === Number(lgd));
    districts.push({
      code,
      lgd: Number(lgd),
      name: titleCase(name),
      state: st.code,
      aliases,
      census2001: census2001 ? Number(census2001) : undefined,
    });
  }
  return { states, districts };
}

const norm = (s: string): string => s.replace(/\*/g, '').replace(/\s+/g, ' ').trim().toUpperCase();

function districtFor(districts: District[], state: string, sourceName: string): District | undefined {
  const name = norm(sourceName);
  const wanted = norm(DISTRICT_NAME_FIXES[`${state}:${name}`] ?? name);
  return districts.find((d) => d.state === state && norm(d.name) === wanted);
}

interface Pc {
  no: number;
  name: string;
}
function buildPcs(dir: string): Record<string, Pc[]> {
  const geo = JSON.parse(readFileSync(join(dir, 'india_pc_2019_simplified.geojson'), 'utf8'));
  const pcs: Record<string, Pc[]> = {};
  for (const { properties: p } of geo.features) {
    let state = SOURCE_STATE_NAMES[String(p.st_name).toUpperCase()];
    if (!state) throw new Error(`unknown PC state ${p.st_name}`);
    let no = Number(p.pc_no);
    if (state === 'JK' && /ladakh/i.test(p.pc_name)) [state, no] = ['LA', 1];
    // The merged UT (2020) kept both seats: 1 Dadra and Nagar Haveli, 2 Daman and Diu.
    if (state === 'DH') no = /daman/i.test(p.st_name) ? 2 : 1;
    (pcs[state] ??= []).push({ no, name: p.pc_name });
  }
  for (const list of Object.values(pcs)) list.sort((a, b) => a.no - b.no);
  return pcs;
}

interface Ac {
  no: number;
  name: string;
  districts: string[];
  pc: number;
}
function buildAcs(dir: string, districts: District[]): Record<string, Ac[]> {
  const [header, ...rows] = parseCsv(readFileSync(join(dir, 'india_2012-17_AC.csv'), 'utf8'));
  const col = (n: string) => header.indexOf(n);
  const acs: Record<string, Map<number, Ac>> = {};
  const unmapped = new Set<string>();
  for (const row of rows) {
    const state = SOURCE_STATE_NAMES[row[col('ST_NAME')]];
    let no = Math.round(Number(row[col('AC_NO')]));
    let pc = Math.round(Number(row[col('PC_NO')]));
    if (!state || !no) continue; // rows without an AC number are slivers of the shapefile
    if (RENUMBER[state]) [no, pc] = [no - RENUMBER[state].ac, pc - RENUMBER[state].pc];
    const sourceDistrict = row[col('DIST_NAME')];
    const district = sourceDistrict ? districtFor(districts, state, sourceDistrict) : undefined;
    if (sourceDistrict && !district) unmapped.add(`${state}:${norm(sourceDistrict)}`);
    const byNo = (acs[state] ??= new Map());
    const ac = byNo.get(no) ?? { no, name: row[col('AC_NAME')].trim(), districts: [], pc };
    if (ac.pc !== pc) throw new Error(`AC ${state} ${no} has two PCs: ${ac.pc}, ${pc}`);
    if (district && !ac.districts.includes(district.code)) ac.districts.push(district.code);
    byNo.set(no, ac);
  }
  if (unmapped.size) console.warn('districts not mapped to LGD:', [...unmapped].join(', '));
  return Object.fromEntries(Object.entries(acs).map(([s, m]) => [s, [...m.values()].sort((a, b) => a.no - b.no)]));
}

/** AC numbers the source lacks between 1 and its highest number, plus the known ones beyond it. */
function gapsOf(acs: Ac[], state: string): number[] {
  const have = new Set(acs.map((a) => a.no));
  const max = Math.max(...have);
  const gaps = Array.from({ length: max }, (_, i) => i + 1).filter((n) => !have.has(n));
  return [...gaps, ...(KNOWN_BEYOND_SOURCE[state] ?? [])];
}

function main(): void {
  const [dir, version] = process.argv.slice(2);
  if (!dir || !version) throw new Error('usage: build-places-data.ts <sources-dir> <version>');
  const { states, districts } = buildStatesAndDistricts(dir);
  const pcs = buildPcs(dir);
  const acs = buildAcs(dir, districts);
  const constituencies: Record<string, unknown> = {};
  for (const code of [...states.keys()].sort()) {
    if (NOT_COVERED[code]) constituencies[code] = { covered: false, reason: NOT_COVERED[code] };
    else
      constituencies[code] = {
        covered: true,
        pcs: pcs[code] ?? [],
        acs: acs[code] ?? [],
        acsMissingFromSource: acs[code] ? gapsOf(acs[code], code) : [],
      };
  }
  const out = join(__dirname, '..', '..', 'src', 'places', 'data', version);
  mkdirSync(out, { recursive: true });
  const write = (file: string, data: unknown) =>
    writeFileSync(join(out, file), JSON.stringify(data, null, 0).replace(/\},\{/g, '},\n{') + '\n');
  write('states.json', { aliases: STATE_ALIASES, states: [...states.values()].sort((a, b) => a.code.localeCompare(b.code)) });
  write(
    'districts.json',
    districts.map(({ census2001: _c, ...d }) => d).sort((a, b) => a.state.localeCompare(b.state) || a.lgd - b.lgd),
  );
  write('constituencies.json', constituencies);
  const total = (f: (c: { pcs?: unknown[]; acs?: unknown[] }) => number) =>
    Object.values(constituencies).reduce((n: number, c) => n + f(c as never), 0);
  console.log(
    `${states.size} states/UTs, ${districts.length} districts, ${total((c) => c.acs?.length ?? 0)} ACs, ${total((c) => c.pcs?.length ?? 0)} PCs`,
  );
}

main();

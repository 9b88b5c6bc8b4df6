/**
 * The versioned reference data behind the place check, indexed for look-up. Each version's JSON
 * stays in the repository for good: an event records the version it was checked against, so a
 * later release of the data never changes what an earlier decision meant.
 */
import states20241 from './data/2024.1/states.json';
import districts20241 from './data/2024.1/districts.json';
import constituencies20241 from './data/2024.1/constituencies.json';

export interface State {
  /** ISO 3166-2:IN style, e.g. UP, TG, OD. */
  code: string;
  name: string;
  kind: 'state' | 'union_territory';
  /** Local Government Directory (LGD) state code. */
  lgd: number;
}

export interface District {
  /** `<STATE>-<LGD district code>`, zero-padded to three digits: UP-187, PB-027. */
  code: string;
  lgd: number;
  name: string;
  state: string;
  /** Older short codes that still resolve to this district, e.g. UP-VNS. */
  aliases: string[];
}

export interface ParliamentaryConstituency {
  no: number;
  name: string;
}

export interface AssemblyConstituency {
  no: number;
  name: string;
  /** Districts the AC lies in; empty where the source gives none (Delhi, Chandigarh). */
  districts: string[];
  /** The PC number the AC belongs to. */
  pc: number;
}

/** A state's constituencies, or why the data set has none for it. */
export type StateConstituencies =
  | { covered: true; pcs: ParliamentaryConstituency[]; acs: AssemblyConstituency[]; acsMissingFromSource: number[] }
  | { covered: false; reason: string };

interface RawData {
  states: { aliases: Record<string, string>; states: State[] };
  districts: District[];
  constituencies: Record<string, StateConstituencies>;
}

/** Every shipped version of the data, oldest first. Add a version; never edit or remove one. */
const RAW: Record<string, RawData> = {
  '2024.1': {
    states: states20241 as RawData['states'],
    districts: districts20241,
    constituencies: constituencies20241 as unknown as Record<string, StateConstituencies>,
  },
};

export const PLACES_VERSIONS: readonly string[] = Object.keys(RAW);

export interface StateIndex {
  state: State;
  districts: District[];
  constituencies: StateConstituencies;
  acs: Map<number, AssemblyConstituency>;
  pcs: Map<number, ParliamentaryConstituency>;
  /** District code → numbers of the ACs that lie (at least partly) in it. */
  acsByDistrict: Map<string, number[]>;
}

export interface PlaceData {
  version: string;
  states: Map<string, StateIndex>;
  stateAliases: Record<string, string>;
  /** Canonical codes and aliases → district. */
  districts: Map<string, District>;
}

function indexState(state: State, raw: RawData): StateIndex {
  const constituencies = raw.constituencies[state.code] ?? { covered: false, reason: 'no constituency data' };
  const acs = new Map<number, AssemblyConstituency>();
  const pcs = new Map<number, ParliamentaryConstituency>();
  const acsByDistrict = new Map<string, number[]>();
  if (constituencies.covered) {
    for (const pc of constituencies.pcs) pcs.set(pc.no, pc);
    for (const ac of constituencies.acs) {
      acs.set(ac.no, ac);
      for (const d of ac.districts) acsByDistrict.set(d, [...(acsByDistrict.get(d) ?? []), ac.no]);
    }
  }
  const districts = raw.districts.filter((d) => d.state === state.code);
  return { state, districts, constituencies, acs, pcs, acsByDistrict };
}

function index(version: string, raw: RawData): PlaceData {
  const states = new Map(raw.states.states.map((s) => [s.code, indexState(s, raw)]));
  const districts = new Map<string, District>();
  // The unpadded LGD form (PB-27 for PB-027) resolves too.
  for (const d of raw.districts) for (const key of [d.code, `${d.state}-${d.lgd}`, ...d.aliases]) districts.set(key, d);
  return { version, states, stateAliases: raw.states.aliases, districts };
}

const cache = new Map<string, PlaceData>();

/** The indexed data of `version`, or undefined if no such version ships. */
export function placeData(version: string): PlaceData | undefined {
  const raw = RAW[version];
  if (!raw) return undefined;
  if (!cache.has(version)) cache.set(version, index(version, raw));
  return cache.get(version);
}

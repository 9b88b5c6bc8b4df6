/**
 * Reference data for Indian places and the check of a seizure's place against it. Pure: no I/O
 * beyond the bundled JSON. Run only when a command is decided — never in evolve or projections —
 * and record PLACES_VERSION in the event, so stored events stay valid whatever the data becomes.
 */
import { PLACES_VERSIONS, placeData, type District, type PlaceData, type State, type StateIndex } from './place-data';

export type { AssemblyConstituency, District, ParliamentaryConstituency, State } from './place-data';
export { PLACES_VERSIONS } from './place-data';

/** The version checks use by default; bump it (and add a data directory) whenever the data changes. */
export const PLACES_VERSION = '2024.1';

export interface PlaceProblem {
  field: 'state' | 'district' | 'assemblyConstituency' | 'parliamentaryConstituency';
  reason: string;
}

export interface SeizurePlace {
  state: string;
  district: string;
  assemblyConstituency: number;
  parliamentaryConstituency: number;
}

function dataOf(version: string): PlaceData {
  const data = placeData(version);
  if (!data) throw new Error(`unknown places data version ${version}; known: ${PLACES_VERSIONS.join(', ')}`);
  return data;
}

function stateIndex(data: PlaceData, code: string): StateIndex | undefined {
  const upper = code.trim().toUpperCase();
  return data.states.get(data.stateAliases[upper] ?? upper);
}

/** A state or union territory by its code or a documented alias (OR → OD, TS → TG, …). */
export function findState(code: string, version = PLACES_VERSION): State | undefined {
  return stateIndex(dataOf(version), code)?.state;
}

/** A district by its canonical code (UP-187) or an older alias (UP-VNS). */
export function findDistrict(codeOrAlias: string, version = PLACES_VERSION): District | undefined {
  return dataOf(version).districts.get(codeOrAlias.trim().toUpperCase());
}

/** A district as messages name it: its stored spelling and name, e.g. `UP-VNS (Varanasi)`. */
const label = (d: District): string => `${d.aliases[0] ?? d.code} (${d.name})`;
const labelOf = (code: string, data: PlaceData): string => {
  const district = data.districts.get(code);
  return district ? label(district) : code;
};

/** 384, 385, 386, 390 → "384–386, 390". */
export function numberRanges(numbers: readonly number[]): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}–${sorted[j]}`);
    i = j;
  }
  return parts.join(', ');
}

function someDistricts(state: StateIndex): string {
  const shown = state.districts.slice(0, 6).map(label).join(', ');
  return state.districts.length > 6 ? `${shown}, … (${state.districts.length} in all)` : shown;
}

function checkDistrict(state: StateIndex, code: string, data: PlaceData): { district?: District; problem?: PlaceProblem } {
  const district = data.districts.get(code.trim().toUpperCase());
  const where = `districts of ${state.state.code} include ${someDistricts(state)}`;
  if (!district) return { problem: { field: 'district', reason: `district ${code} is unknown; ${where}` } };
  if (district.state !== state.state.code) {
    return { problem: { field: 'district', reason: `district ${label(district)} is not in state ${state.state.code}; ${where}` } };
  }
  return { district };
}

function checkConstituencies(state: StateIndex, district: District | undefined, place: SeizurePlace, data: PlaceData): PlaceProblem[] {
  const { constituencies } = state;
  if (!constituencies.covered) return []; // explicitly not covered by this version (see SOURCES.md)
  const problems: PlaceProblem[] = [];
  const acNo = place.assemblyConstituency;
  const ac = state.acs.get(acNo);
  const acUnknownToSource = !ac && constituencies.acsMissingFromSource.includes(acNo);
  if (!ac && !acUnknownToSource) {
    const reason = `assembly constituency ${acNo} is not in state ${state.state.code}; its ACs are ${numberRanges([...state.acs.keys(), ...constituencies.acsMissingFromSource])}`;
    problems.push({ field: 'assemblyConstituency', reason });
  }
  const districtAcs = district ? state.acsByDistrict.get(district.code) : undefined;
  if (ac && district && districtAcs && !ac.districts.includes(district.code)) {
    const lies = ac.districts.length
      ? `; AC ${acNo} (${ac.name}) lies in ${ac.districts.map((code) => labelOf(code, data)).join(', ')}`
      : '';
    const reason = `assembly constituency ${acNo} is not in district ${label(district)}; its ACs are ${numberRanges(districtAcs)}${lies}`;
    problems.push({ field: 'assemblyConstituency', reason });
  }
  const pc = state.pcs.get(place.parliamentaryConstituency);
  if (!pc) {
    const reason = `parliamentary constituency ${place.parliamentaryConstituency} is not in state ${state.state.code}; its PCs are ${numberRanges([...state.pcs.keys()])}`;
    problems.push({ field: 'parliamentaryConstituency', reason });
  } else if (ac && ac.pc !== pc.no) {
    const owner = state.pcs.get(ac.pc);
    const reason = `parliamentary constituency ${pc.no} (${pc.name}) does not contain AC ${acNo} (${ac.name}), which belongs to PC ${ac.pc}${owner ? ` (${owner.name})` : ''}`;
    problems.push({ field: 'parliamentaryConstituency', reason });
  }
  return problems;
}

/** Every problem with a seizure's place, checked against the data of `version` (default: current). */
export function checkSeizurePlace(place: SeizurePlace, version = PLACES_VERSION): PlaceProblem[] {
  const data = dataOf(version);
  const state = stateIndex(data, place.state);
  if (!state) {
    const codes = [...data.states.keys()].join(', ');
    return [{ field: 'state', reason: `state ${place.state} is not a state or union territory; use one of ${codes}` }];
  }
  const { district, problem } = checkDistrict(state, place.district, data);
  return [...(problem ? [problem] : []), ...checkConstituencies(state, district, place, data)];
}

/**
 * The one spelling a district is stored, scoped and searched under: its first short alias where it
 * has one (UP-VNS, as ledgers and tokens already say), else its LGD form (UP-187). Every spelling a
 * client may send resolves to it, so two spellings never split one district.
 */
export const storedDistrictCode = (district: District): string => district.aliases[0] ?? district.code;

/** The stored spelling of any district code a client may send; an unknown code is returned as it is. */
export function storedDistrictSpelling(code: string): string {
  const district = findDistrict(code);
  return district ? storedDistrictCode(district) : code;
}

/** The canonical code of any state code a client may send (OR → OD); an unknown code is returned as it is. */
export const storedStateSpelling = (code: string): string => findState(code)?.code ?? code;

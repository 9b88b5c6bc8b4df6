import type { Actor, Agency, Role } from '../../src/shared/actor';
import type { Custodian } from '../../src/custody/values';
import { officesOf, type District, type Team } from './geography';
import { personName } from './people';
import { LANES, Random } from './random';

/**
 * The users who act on seizures in a district, as their tokens describe them. A user's name is
 * derived from their id, so the same user has the same name in every seizure and every run.
 */

function stableName(sub: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < sub.length; i++) hash = Math.imul(hash ^ sub.charCodeAt(i), 0x01000193);
  return personName(new Random(hash >>> 0, 0, LANES.plan));
}

const byDistrictScope = (district: District) => ({ national: false as const, states: [], districts: [district.code] });

function user(district: District, sub: string, roles: Role[], unit: string, agency: Agency): Actor {
  return { sub, name: stableName(sub), roles, unit, agency, scope: byDistrictScope(district) };
}

export function seizingOfficer(district: District, team: Team, number: number): Actor {
  const officer = user(district, `u-${team.unit.toLowerCase()}-${number}`, ['officer'], team.unit, team.agency);
  return team.jurisdiction === 'state' ? { ...officer, scope: { national: false, states: [district.state], districts: [] } } : officer;
}

export interface DistrictActors {
  /** Receives and deposits cash and metals; a second treasury user confirms deposits. */
  treasuryOfficer: Actor;
  treasuryAccountant: Actor;
  malkhanaInCharge: Actor;
  exciseInCharge: Actor;
  /** District Grievance Committee: orders releases, refers cash to Income Tax. */
  committee: Actor;
  court: Actor;
  incomeTaxOfficer: Actor;
  stationHouseOfficer: Actor;
}

const cache = new Map<string, DistrictActors>();

export function districtActors(district: District): DistrictActors {
  const cached = cache.get(district.code);
  if (cached) return cached;
  const offices = officesOf(district);
  const s = district.code.toLowerCase();
  const actors: DistrictActors = {
    treasuryOfficer: user(district, `u-tr-${s}-1`, ['treasury'], offices.treasury.id, 'treasury'),
    treasuryAccountant: user(district, `u-tr-${s}-2`, ['treasury'], offices.treasury.id, 'treasury'),
    malkhanaInCharge: user(district, `u-mk-${s}`, ['custodian'], offices.malkhana.id, 'police'),
    exciseInCharge: user(district, `u-exw-${s}`, ['custodian'], offices.exciseWarehouse.id, 'excise'),
    committee: user(district, `u-dgc-${s}`, ['committee'], offices.committeeUnit, 'election_office'),
    court: user(district, `u-cjm-${s}`, ['court'], offices.courtUnit, 'court'),
    incomeTaxOfficer: user(district, `u-it-${s}`, ['officer'], offices.incomeTaxUnit, 'income_tax'),
    stationHouseOfficer: user(district, `u-sho-${s}`, ['officer'], offices.policeStationUnit, 'police'),
  };
  cache.set(district.code, actors);
  return actors;
}

/** Who acts for a storage custodian of the district: receives, deposits and releases from it. */
export function actorFor(custodian: Custodian, district: District): Actor {
  const actors = districtActors(district);
  const offices = officesOf(district);
  if (custodian.id === offices.treasury.id) return actors.treasuryOfficer;
  if (custodian.id === offices.malkhana.id) return actors.malkhanaInCharge;
  if (custodian.id === offices.exciseWarehouse.id) return actors.exciseInCharge;
  throw new Error(`no user acts for ${custodian.kind} ${custodian.id} in ${district.code}`);
}

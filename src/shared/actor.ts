/**
 * Who acts: taken from a verified token, never from a request body, and written into every event.
 */
export const ROLES = ['officer', 'custodian', 'treasury', 'committee', 'court', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const AGENCIES = [
  'flying_squad',
  'static_surveillance_team',
  'police',
  'excise',
  'income_tax',
  'customs',
  'dri',
  'ncb',
  'gst',
  'enforcement_directorate',
  'rpf',
  'forest',
  'election_office',
  'treasury',
  'court',
  'other',
] as const;
export type Agency = (typeof AGENCIES)[number];

/** Where an actor may read and act: the whole country, or listed states and districts. */
export type Scope = { national: true } | { national: false; states: string[]; districts: string[] };

export interface Actor {
  /** Stable user id (token `sub`). */
  sub: string;
  name: string;
  roles: Role[];
  /** The team, treasury, malkhana, court or office the user acts for, e.g. "FS-VNS-03". */
  unit: string;
  agency: Agency;
  scope: Scope;
}

/** Whether a place (state code, district code) lies within an actor's scope. */
export function inScope(scope: Scope, place: { state: string; district: string }): boolean {
  if (scope.national) return true;
  return scope.states.includes(place.state) || scope.districts.includes(place.district);
}

import { AGENCIES, Actor, Agency, ROLES, Role, Scope } from '../shared/actor';
import { storedDistrictSpelling, storedStateSpelling } from '../places/places';

/**
 * The token claims that describe an actor, and their validation. The verifier and the issuer
 * share it, so the ledger never issues a token it would itself refuse.
 */
export interface ActorClaims {
  sub: string;
  name: string;
  roles: Role[];
  unit: string;
  agency: Agency;
  scope: { national: true } | { states: string[]; districts: string[] };
}

export const MAX_SUB_LENGTH = 128;
export const MAX_NAME_LENGTH = 200;
export const MAX_UNIT_LENGTH = 64;
/** State ("UP") and district ("UP-VNS") codes: short uppercase alphanumeric parts joined by hyphens. */
export const PLACE_CODE_PATTERN = /^[A-Z0-9]{1,10}(?:-[A-Z0-9]{1,10}){0,2}$/;
/** Bounds the work a token can cause; a real assignment lists a handful of places. */
export const MAX_SCOPE_ENTRIES = 200;

export type ClaimsResult = { ok: true; actor: Actor } | { ok: false; problems: string[] };

const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);
const isAgency = (value: unknown): value is Agency => typeof value === 'string' && (AGENCIES as readonly string[]).includes(value);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

// eslint-disable-next-line no-control-regex -- finding control characters is this expression's purpose
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** One problem for a list's bad entries: the first quoted, the rest counted. */
function firstOf(bad: readonly unknown[]): string {
  return bad.length > 1 ? `${quote(bad[0])} (and ${bad.length - 1} more)` : quote(bad[0]);
}

/** Quotes a claim value for a message, cut short so a hostile token cannot flood logs. */
function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function text(claims: Record<string, unknown>, claim: string, max: number, problems: string[]): string {
  const value = claims[claim];
  if (value === undefined || value === null) {
    problems.push(`missing claim "${claim}"`);
    return '';
  }
  // Surrounding whitespace is refused, not trimmed: "u-17" and "u-17 " must not be two people.
  // Control characters would let a name forge lines in logs and printed custody records.
  const acceptable = typeof value === 'string' && value.length > 0 && value.length <= max && value.trim() === value && !CONTROL.test(value);
  if (!acceptable) {
    problems.push(
      `claim "${claim}" must be a non-empty string of at most ${max} characters, ` + 'without control characters or surrounding spaces',
    );
    return '';
  }
  return value;
}

function roles(value: unknown, problems: string[]): Role[] {
  if (value === undefined || value === null) {
    problems.push('missing claim "roles"');
    return [];
  }
  if (!Array.isArray(value) || value.length === 0) {
    problems.push('claim "roles" must be a non-empty array');
    return [];
  }
  const unknown = value.filter((role) => !isRole(role));
  if (unknown.length > 0) problems.push(`unknown role ${firstOf(unknown)}`);
  return unknown.length > 0 ? [] : [...new Set(value.filter(isRole))];
}

function agency(value: unknown, problems: string[]): Agency {
  if (value === undefined || value === null) problems.push('missing claim "agency"');
  else if (!isAgency(value)) problems.push(`unknown agency ${quote(value)}`);
  return isAgency(value) ? value : 'other';
}

function codes(scope: Record<string, unknown>, key: 'states' | 'districts', problems: string[]): string[] {
  const value = scope[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(`claim "scope.${key}" must be an array of codes`);
    return [];
  }
  if (value.length > MAX_SCOPE_ENTRIES) {
    problems.push(`claim "scope.${key}" lists more than ${MAX_SCOPE_ENTRIES} entries`);
    return [];
  }
  const bad = value.filter((code) => typeof code !== 'string' || !PLACE_CODE_PATTERN.test(code));
  if (bad.length > 0) {
    problems.push(`claim "scope.${key}" has an invalid code ${firstOf(bad)} (expected e.g. "UP" or "UP-VNS")`);
  }
  return bad.length > 0 ? [] : [...new Set(value as string[])];
}

const unique = (codes: string[]): string[] => [...new Set(codes)];

function scope(value: unknown, problems: string[]): Scope {
  const none: Scope = { national: false, states: [], districts: [] };
  if (value === undefined || value === null) {
    problems.push('missing claim "scope"');
    return none;
  }
  if (!isRecord(value)) {
    problems.push('claim "scope" must be an object: {"national": true} or {"states": [...], "districts": [...]}');
    return none;
  }
  const extra = Object.keys(value).filter((key) => !['national', 'states', 'districts'].includes(key));
  if (extra.length > 0) problems.push(`claim "scope" has unknown keys: ${extra.map((k) => quote(k)).join(', ')}`);

  if (value.national === true) {
    // Ambiguous otherwise: is the actor national, or limited to the listed places?
    if (value.states !== undefined || value.districts !== undefined) {
      problems.push('claim "scope" must not list states or districts when national is true');
    }
    return { national: true };
  }
  if (value.national !== undefined && value.national !== false) problems.push('claim "scope.national" must be a boolean');
  const before = problems.length;
  // Places are compared as the ledger stores them (OR → OD, UP-187 → UP-VNS): one spelling each.
  const states = unique(codes(value, 'states', problems).map(storedStateSpelling));
  const districts = unique(codes(value, 'districts', problems).map(storedDistrictSpelling));
  if (problems.length === before && states.length === 0 && districts.length === 0) {
    problems.push('claim "scope" must be {"national": true} or list at least one state or district');
  }
  return { national: false, states, districts };
}

/** Maps token claims to an Actor, or lists every problem with them (messages safe to show). */
export function actorFromClaims(claims: Record<string, unknown>): ClaimsResult {
  const problems: string[] = [];
  const actor: Actor = {
    sub: text(claims, 'sub', MAX_SUB_LENGTH, problems),
    name: text(claims, 'name', MAX_NAME_LENGTH, problems),
    roles: roles(claims.roles, problems),
    unit: text(claims, 'unit', MAX_UNIT_LENGTH, problems),
    agency: agency(claims.agency, problems),
    scope: scope(claims.scope, problems),
  };
  return problems.length > 0 ? { ok: false, problems } : { ok: true, actor: deepFreeze(actor) };
}

/** The claims that carry an actor, in the shape tokens use (scope without the `national: false`). */
export function claimsFromActor(actor: Actor): ActorClaims {
  return {
    sub: actor.sub,
    name: actor.name,
    roles: [...actor.roles],
    unit: actor.unit,
    agency: actor.agency,
    scope: actor.scope.national ? { national: true } : { states: [...actor.scope.states], districts: [...actor.scope.districts] },
  };
}

// Handlers receive the actor by reference; freezing it keeps one handler from rewriting who acted.
function deepFreeze(actor: Actor): Actor {
  Object.freeze(actor.roles);
  if (!actor.scope.national) {
    Object.freeze(actor.scope.states);
    Object.freeze(actor.scope.districts);
  }
  Object.freeze(actor.scope);
  return Object.freeze(actor);
}

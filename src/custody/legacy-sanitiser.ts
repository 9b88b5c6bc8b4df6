import type { JsonValue } from '../shared/json';
import type { SeizureEventType } from './events';

/**
 * Events written under older rules stay in the ledger for ever, exactly as they were stored.
 * Older releases let through what today's rules refuse: a seizure without an election, a latitude
 * given as a string, names holding NUL or bidi control characters, an empty list where an object
 * belonged (`"election": []`, `"to": []`), and so on. The sanitiser reads such an event into the
 * current shape, with explicit "unknown" values where something is missing, and says what it did.
 *
 * A finding names the field and what was wrong with it, never the value of a person's data.
 */

/** What reading an event under today's shape changed, for the views to show. */
export interface OlderRulesMark {
  /** The schema version the event was stored with. */
  schemaVersion: number;
  /** What was missing or out of shape, field by field; empty when the event needed nothing. */
  findings: string[];
}

export const NOT_RECORDED = 'not recorded';
export const UNKNOWN_CODE = 'unknown';
export const REPLACEMENT_CHARACTER = '\uFFFD';

type Findings = string[];
type Rule = (value: unknown, path: string, findings: Findings) => JsonValue;

// ------------------------------------------------------------------------------------------
// Characters a record must not hold: they hide or reorder what a reader sees, or break printing.

type CharacterKind = 'NUL character' | 'control character' | 'unpaired UTF-16 surrogate' | 'bidirectional control character';

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
const isBidiControl = (code: number) => (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
const isControl = (code: number) => code <= 0x1f || (code >= 0x7f && code <= 0x9f);

/** Newline and tab are how free text is laid out; in a name or a code they are controls too. */
function controlKind(code: number, multiline: boolean): CharacterKind | null {
  if (code === 0) return 'NUL character';
  if (multiline && (code === 0x0a || code === 0x09)) return null;
  if (isControl(code)) return 'control character';
  if (isBidiControl(code)) return 'bidirectional control character';
  return null;
}

/** The text with every unsafe character replaced by U+FFFD, and how many of each kind there were. */
export function replaceUnsafeCharacters(text: string, multiline: boolean): { text: string; replaced: Map<CharacterKind, number> } {
  const replaced = new Map<CharacterKind, number>();
  const note = (kind: CharacterKind) => replaced.set(kind, (replaced.get(kind) ?? 0) + 1);
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isHighSurrogate(code) && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) {
      out += text[i] + text[i + 1];
      i++;
      continue;
    }
    const kind = isHighSurrogate(code) || isLowSurrogate(code) ? 'unpaired UTF-16 surrogate' : controlKind(code, multiline);
    if (kind === null) {
      out += text[i];
    } else {
      note(kind);
      out += REPLACEMENT_CHARACTER;
    }
  }
  return { text: out, replaced };
}

const counted = (kind: CharacterKind, count: number) =>
  count > 1 ? `${count} ${kind}s` : kind.startsWith('unpaired') ? `an ${kind}` : `a ${kind}`;

function describeReplaced(path: string, replaced: Map<CharacterKind, number>): string {
  const parts = [...replaced].map(([kind, count]) => counted(kind, count));
  const listed = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  return `${path} held ${listed}, shown as U+FFFD`;
}

// ------------------------------------------------------------------------------------------
// Rules: each reads one field into its current shape and notes what it had to change.

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** How a value that should have been there was not, in words that repeat none of its content. */
function describeAbsence(value: unknown): string {
  if (value === undefined) return 'was not recorded';
  if (value === null) return 'was null';
  if (Array.isArray(value)) return value.length === 0 ? 'was an empty list' : 'was a list';
  if (typeof value === 'string') return value.trim() === '' ? 'was blank' : 'was text';
  return `was a ${typeof value}`;
}

function cleanString(value: string, path: string, findings: Findings, multiline: boolean): string {
  const { text, replaced } = replaceUnsafeCharacters(value, multiline);
  if (replaced.size > 0) findings.push(describeReplaced(path, replaced));
  return text;
}

/**
 * Required text. Missing, blank or not text at all reads as `fallback`; a name or code is one
 * line, free text (`multiline`) keeps its newlines and tabs.
 */
const text =
  (fallback: string, multiline = false): Rule =>
  (value, path, findings) => {
    if (typeof value === 'string' && value.trim() !== '') return cleanString(value, path, findings, multiline);
    findings.push(`${path} ${describeAbsence(value)}, read as "${fallback}"`);
    return fallback;
  };

/** A name of a person, place or office. */
const name = text(NOT_RECORDED);
/** An id, number or code: memo, challan, order, seal, state or district code. */
const code = text(UNKNOWN_CODE);
/** Free text that must say something: an address, a reason, a description. */
const prose = text(NOT_RECORDED, true);

/** Free text that may be empty (remarks): only a missing one is noted. */
const remarks: Rule = (value, path, findings) => {
  if (typeof value === 'string') return cleanString(value, path, findings, true);
  findings.push(`${path} ${describeAbsence(value)}, read as empty`);
  return '';
};

/** Optional one-line text: null stays null. */
const optionalText: Rule = (value, path, findings) => {
  if (value === null) return null;
  if (typeof value === 'string') return cleanString(value, path, findings, false);
  findings.push(`${path} ${describeAbsence(value)}, read as not recorded`);
  return null;
};

/** Numbers, booleans and enumerated values: the old rules already checked them; kept as stored. */
const keep: Rule = (value) => value as JsonValue;

/** A count that a filled-in object needs (a constituency number): 0 means "not recorded". */
const number: Rule = (value, path, findings) => {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  findings.push(`${path} ${describeAbsence(value)}, read as 0 (not recorded)`);
  return 0;
};

const NUMERIC = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/;

/** A coordinate: a number, a numeric string read as its number, anything else as null. */
const coordinate: Rule = (value, path, findings) => {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && NUMERIC.test(value)) {
    // The coordinate is where the seizure happened, not a person's data: quoting it lets an officer check the reading.
    findings.push(`${path} was the string ${JSON.stringify(value)}, read as the number ${Number(value)}`);
    return Number(value);
  }
  findings.push(`${path} ${describeAbsence(value)}, read as not recorded (null)`);
  return null;
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day, or null when none was recorded: no deadline can be computed from it. */
const day: Rule = (value, path, findings) => {
  if (typeof value === 'string' && DAY.test(value)) return value;
  findings.push(`${path} ${describeAbsence(value)}, read as not recorded (null)`);
  return null;
};

type Fields = Record<string, Rule>;

/**
 * An object of known fields. Fields it does not know are kept as stored. A list holding exactly
 * one object (`"election": [{…}]`, which old validation let through) is read as that object.
 * Anything else reads as `whenAbsent`: null, or the object filled with its fields' fallbacks.
 */
function object(fields: Fields, whenAbsent: 'null' | 'filled'): Rule {
  const read = (source: Record<string, unknown>, path: string, findings: Findings): JsonValue => {
    const out: Record<string, JsonValue> = { ...(source as Record<string, JsonValue>) };
    for (const [key, rule] of Object.entries(fields)) {
      const read = rule(source[key], `${path}.${key}`, findings);
      // `keep` of a missing field stays missing rather than becoming an undefined-valued key.
      if (read !== undefined) out[key] = read;
    }
    return out;
  };
  return (value, path, findings) => {
    if (isPlainObject(value)) return read(value, path, findings);
    if (Array.isArray(value) && value.length === 1 && isPlainObject(value[0])) {
      findings.push(`${path} was a list of one, read as its one entry`);
      return read(value[0], path, findings);
    }
    if (whenAbsent === 'null') {
      if (value !== null && value !== undefined) findings.push(`${path} ${describeAbsence(value)}, read as not recorded (null)`);
      return null;
    }
    findings.push(`${path} ${describeAbsence(value)}, read as not recorded`);
    // One finding for the whole object, not one per field filled in.
    return read({}, path, []);
  };
}

/**
 * A list. An entry that is not an object where objects belong is either read as a filled-in
 * object (`keepEmpty`: witnesses, whose number matters) or left out (media, seals).
 */
function list(entry: Rule, options: { objects?: 'keepEmpty' | 'dropEmpty' } = {}): Rule {
  return (value, path, findings) => {
    if (!Array.isArray(value)) {
      findings.push(`${path} ${describeAbsence(value)}, read as an empty list`);
      return [];
    }
    const out: JsonValue[] = [];
    value.forEach((item, i) => {
      if (options.objects === 'dropEmpty' && !isPlainObject(item)) {
        findings.push(`${path}[${i}] ${describeAbsence(item)}, left out`);
        return;
      }
      out.push(entry(item, `${path}[${i}]`, findings));
    });
    return out;
  };
}

// ------------------------------------------------------------------------------------------
// The current shape of every event type, as far as a legacy event can miss it.

const custodian = object({ kind: keep, id: code, name }, 'filled');
const filledCustodian: Rule = (value, path, findings) => {
  const read = custodian(value, path, findings) as Record<string, JsonValue>;
  // A custodian that was never named still needs a kind for the views; 'team' holds nothing of anyone's.
  if (typeof read.kind !== 'string') read.kind = 'team';
  return read;
};
const idDocument = { type: name, number: code };
const itemIds = list(code);
const sealNumbers = list(code);

const location = object(
  {
    state: code,
    district: code,
    assemblyConstituency: number,
    parliamentaryConstituency: number,
    latitude: coordinate,
    longitude: coordinate,
    place: prose,
  },
  'filled',
);

const SHAPES: Record<SeizureEventType, Fields> = {
  SeizureRecorded: {
    seizureId: code,
    memoNumber: code,
    seizedAt: keep,
    location,
    agency: keep,
    team: name,
    seizingOfficer: object({ sub: code, name, unit: code }, 'filled'),
    magistrate: object({ name, designation: name }, 'null'),
    seizedFrom: object({ name, idDocument: object(idDocument, 'null'), address: prose, phone: optionalText }, 'filled'),
    vehicleNumber: optionalText,
    witnesses: list(object({ name, address: prose }, 'filled'), { objects: 'keepEmpty' }),
    media: list(object({ kind: keep, sha256: keep }, 'filled'), { objects: 'dropEmpty' }),
    election: object({ id: code, name, pollDate: day }, 'filled'),
    linkedToCandidateOrParty: keep,
    items: list(
      object(
        {
          itemId: code,
          category: keep,
          description: prose,
          quantity: keep,
          unit: keep,
          packages: keep,
          sealNumbers,
          estimatedValuePaise: keep,
        },
        'filled',
      ),
    ),
    custodian: filledCustodian,
  },
  ItemsValued: {
    valuations: list(object({ itemId: code, valuePaise: keep, previousValuePaise: keep }, 'filled')),
    basis: prose,
    reason: prose,
  },
  CustodyTransferInitiated: { transferId: code, itemIds, from: filledCustodian, to: filledCustodian, sealNumbers, reason: prose },
  CustodyTransferAccepted: {
    transferId: code,
    itemIds,
    from: filledCustodian,
    to: filledCustodian,
    seals: list(object({ number: code, condition: keep }, 'filled'), { objects: 'dropEmpty' }),
    countedQuantities: list(object({ itemId: code, quantity: keep }, 'filled')),
    remarks,
  },
  CustodyTransferRejected: { transferId: code, itemIds, from: filledCustodian, to: filledCustodian, reason: prose },
  DiscrepancyRecorded: { kind: keep, itemIds, reference: code, expected: prose, found: prose, remarks },
  CashDeposited: { challanNumber: code, treasury: filledCustodian, itemIds, amountPaise: keep, depositedOn: keep },
  DepositConfirmed: { challanNumber: code, treasury: filledCustodian, depositedAmountPaise: keep, confirmedAmountPaise: keep, remarks },
  ReferredToIncomeTax: { referenceNumber: code, office: name, cashTotalPaise: keep, remarks },
  IncomeTaxCleared: { referenceNumber: code, clearanceNumber: code, remarks },
  FirRegistered: { firNumber: code, policeStation: name, registeredOn: keep, sections: list(code) },
  ReleaseOrdered: {
    orderNumber: code,
    authority: keep,
    orderedOn: keep,
    itemIds,
    releaseTo: object({ name, idDocument: object(idDocument, 'null') }, 'filled'),
    reasons: prose,
  },
  ItemsReleased: {
    orderNumber: code,
    itemIds,
    releasedTo: object({ name, idDocument: object(idDocument, 'filled') }, 'filled'),
    identityChecked: keep,
    releasedBy: filledCustodian,
    remarks,
  },
  ItemsDisposed: { orderNumber: code, authority: keep, orderedOn: keep, method: keep, itemIds, remarks },
  AttachmentAdded: { sha256: keep, sizeBytes: keep, mediaType: keep, fileName: name, description: remarks },
  CorrectionRecorded: { correctsEventId: code, correctsEventType: keep, whatWasWrong: prose, correction: prose, reason: prose },
  // Written only under today's rules (no older version exists); listed so every type has one shape.
  FirClosed: { firNumber: code, how: keep, closedOn: day, court: name, reference: code, remarks },
  CourtProceedingsDisposedOf: { disposedOn: day, court: name, caseNumber: code, remarks },
  IncomeTaxProceedingsClosed: { referenceNumber: code, closedOn: day, orderNumber: code, remarks },
  ReleaseDisputeRaised: { disputeId: code, raisedOn: day, itemIds, grounds: prose },
  ReleaseDisputeResolved: { disputeId: code, resolvedOn: day, outcome: keep, reference: code, remarks },
  PersonalDataErased: {
    erasures: keep,
    keptInClear: keep,
    legalBasis: keep,
    orderReference: code,
    courtOrder: object({ court: name, orderNumber: code, orderedOn: day }, 'null'),
    overrode: keep,
  },
};

/** A district code names its state first (UP-VNS lies in UP); old rules did not check that. */
function districtOutsideState(data: JsonValue): string[] {
  const loc = isPlainObject(data) ? data.location : undefined;
  if (!isPlainObject(loc) || typeof loc.state !== 'string' || typeof loc.district !== 'string') return [];
  if (loc.state === UNKNOWN_CODE || loc.district === UNKNOWN_CODE || loc.district.startsWith(`${loc.state}-`)) return [];
  return ['location.district is not a district of location.state'];
}

/**
 * Reads one event stored under older rules into the current shape of its type. Pure and
 * deterministic, so projections rebuilt from the log come out the same.
 */
export function sanitiseLegacyEvent(type: SeizureEventType, data: JsonValue): { data: JsonValue; findings: string[] } {
  const findings: string[] = [];
  const root = object(SHAPES[type], 'filled');
  // Paths are written from the event's data: `election`, not `data.election`.
  const sanitised = root(data, '', findings);
  const trimmed = findings.map((f) => (f.startsWith('.') ? f.slice(1) : f));
  if (type === 'SeizureRecorded') trimmed.push(...districtOutsideState(sanitised));
  return { data: sanitised, findings: trimmed };
}

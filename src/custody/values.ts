/**
 * The values seizure events are made of: categories and units, custodians, places, people, seals.
 * Pure data shapes. Money is integer paise; quantities are integers in a base unit (paise, ml, mg, pieces).
 */

export const CATEGORIES = ['cash', 'liquor', 'drugs', 'precious_metals', 'freebies', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

export const QUANTITY_UNITS = ['paise', 'ml', 'mg', 'pieces'] as const;
export type QuantityUnit = (typeof QUANTITY_UNITS)[number];

/** The base units an item of each category may be counted in. */
export const UNITS_BY_CATEGORY: Record<Category, readonly QuantityUnit[]> = {
  cash: ['paise'],
  liquor: ['ml'],
  drugs: ['mg', 'pieces'],
  precious_metals: ['mg'],
  freebies: ['pieces', 'mg', 'ml'],
  other: ['pieces', 'mg', 'ml'],
};

export const CUSTODIAN_KINDS = ['team', 'person', 'treasury', 'malkhana', 'excise_warehouse', 'agency', 'court', 'laboratory'] as const;
export type CustodianKind = (typeof CUSTODIAN_KINDS)[number];

/** Who holds items: a unit (team, treasury, malkhana, court, …) by its id, or one person by user id. */
export interface Custodian {
  kind: CustodianKind;
  id: string;
  name: string;
}

export interface ActorRef {
  sub: string;
  name: string;
  unit: string;
}

export interface SeizedItem {
  itemId: string;
  category: Category;
  description: string;
  quantity: number;
  unit: QuantityUnit;
  packages: number;
  sealNumbers: string[];
  estimatedValuePaise: number;
}

export interface SeizureLocation {
  state: string;
  district: string;
  assemblyConstituency: number;
  parliamentaryConstituency: number;
  /** Null only in seizures recorded under older rules whose coordinate was not a number. */
  latitude: number | null;
  longitude: number | null;
  place: string;
}

export interface PersonSeizedFrom {
  name: string;
  idDocument: { type: string; number: string } | null;
  address: string;
  phone: string | null;
}

export interface Witness {
  name: string;
  address: string;
}

export interface MediaHash {
  kind: 'photo' | 'video';
  sha256: string;
}

export interface Election {
  id: string;
  name: string;
  /**
   * The poll date in the constituency (YYYY-MM-DD). Null only in seizures recorded under older
   * rules without an election: no deadline counts from it, and views say "not recorded".
   */
  pollDate: string | null;
}

export type ReleaseAuthority = 'dgc' | 'court';
export type DisposalAuthority = 'court' | 'drug_disposal_committee';
export type DisposalMethod = 'destroyed' | 'confiscated' | 'auctioned';
export type DiscrepancyKind = 'seals_broken' | 'count_differs' | 'deposit_amount_differs';

export const SEAL_CONDITIONS = ['intact', 'broken', 'missing'] as const;
export type SealCondition = (typeof SEAL_CONDITIONS)[number];

/** What the recipient found of one seal. */
export interface SealCheck {
  number: string;
  condition: SealCondition;
}

/** How an FIR ends: the magistrate accepts the police closure report, or the trial ends in judgment. */
export const FIR_CLOSURE_WAYS = ['closure_report_accepted', 'trial_ended'] as const;
export type FirClosureWay = (typeof FIR_CLOSURE_WAYS)[number];

/** What the District Grievance Committee made of a release dispute. */
export const DISPUTE_OUTCOMES = ['upheld', 'dismissed', 'withdrawn'] as const;
export type DisputeOutcome = (typeof DISPUTE_OUTCOMES)[number];

/**
 * Why personal data was erased (DPDP Act 2023): its purpose was served (no case open, nothing held),
 * the person asked (section 12), a court ordered it, or the retention period after the last case
 * closed ended (recorded by the system).
 */
export const ERASURE_BASES = ['purpose_served', 'data_principal_request', 'court_order', 'retention_period_ended'] as const;
export type ErasureBasis = (typeof ERASURE_BASES)[number];

/** A court's order, where an erasure relies on one. */
export interface CourtOrderRef {
  court: string;
  orderNumber: string;
  /** Indian day (YYYY-MM-DD). */
  orderedOn: string;
}

/** One personal-data field of one event: its event id and a JSON Pointer into its data. */
export interface PersonalDataFieldRef {
  eventId: string;
  fieldPath: string;
}

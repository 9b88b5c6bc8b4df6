import type { CaseKind } from '../../custody/state';
import type { Category, CustodianKind, DisputeOutcome, FirClosureWay } from '../../custody/values';
import type { SeizureEventType } from '../../custody/events';
import type { DeadlineKind } from '../../read-models/deadline-watch/deadline-watch.query';
import type { SeizureStatus } from '../../read-models/seizure-search/seizure-search.projection';
import type { Role } from '../../shared/actor';

/**
 * What the console calls things, in English with the Hindi officers use. Each table is keyed by
 * the API's own type, so the compiler refuses a table that misses or invents a value.
 */
export interface Label {
  en: string;
  hi: string;
}

export const CATEGORY_LABELS: Readonly<Record<Category, Label>> = {
  cash: { en: 'Cash', hi: 'नकद' },
  liquor: { en: 'Liquor', hi: 'शराब' },
  drugs: { en: 'Drugs', hi: 'मादक पदार्थ' },
  precious_metals: { en: 'Precious metals', hi: 'बहुमूल्य धातु' },
  freebies: { en: 'Freebies', hi: 'मुफ़्त उपहार' },
  other: { en: 'Other items', hi: 'अन्य' },
};

export const CUSTODIAN_KIND_LABELS: Readonly<Record<CustodianKind, Label>> = {
  team: { en: 'Team', hi: 'दल' },
  person: { en: 'Person', hi: 'व्यक्ति' },
  treasury: { en: 'Treasury', hi: 'कोषागार' },
  malkhana: { en: 'Malkhana', hi: 'मालखाना' },
  excise_warehouse: { en: 'Excise warehouse', hi: 'आबकारी गोदाम' },
  agency: { en: 'Agency', hi: 'एजेंसी' },
  court: { en: 'Court', hi: 'न्यायालय' },
  laboratory: { en: 'Laboratory', hi: 'प्रयोगशाला' },
};

export const STATUS_LABELS: Readonly<Record<SeizureStatus, Label>> = {
  held: { en: 'Held', hi: 'अभिरक्षा में' },
  in_transfer: { en: 'In transfer', hi: 'हस्तांतरण में' },
  partly_released: { en: 'Partly released', hi: 'आंशिक रूप से मुक्त' },
  released: { en: 'Released', hi: 'मुक्त' },
  disposed: { en: 'Disposed of', hi: 'निस्तारित' },
};

export const ROLE_LABELS: Readonly<Record<Role, Label>> = {
  officer: { en: 'Officer', hi: 'अधिकारी' },
  custodian: { en: 'Custodian', hi: 'अभिरक्षक' },
  treasury: { en: 'Treasury', hi: 'कोषागार' },
  committee: { en: 'Committee', hi: 'समिति' },
  court: { en: 'Court', hi: 'न्यायालय' },
  auditor: { en: 'Auditor', hi: 'लेखा परीक्षक' },
  admin: { en: 'Administrator', hi: 'प्रशासक' },
};

/** Event types, also the names the live feed sends them under. */
export const EVENT_LABELS: Readonly<Record<SeizureEventType, string>> = {
  SeizureRecorded: 'Seizure recorded',
  ItemsValued: 'Items valued',
  CustodyTransferInitiated: 'Transfer started',
  CustodyTransferAccepted: 'Transfer accepted',
  CustodyTransferRejected: 'Transfer rejected',
  DiscrepancyRecorded: 'Discrepancy recorded',
  CashDeposited: 'Cash deposited',
  DepositConfirmed: 'Deposit confirmed',
  ReferredToIncomeTax: 'Referred to Income Tax',
  IncomeTaxCleared: 'Income Tax cleared',
  FirRegistered: 'FIR registered',
  ReleaseOrdered: 'Release ordered',
  ItemsReleased: 'Items released',
  ItemsDisposed: 'Items disposed of',
  AttachmentAdded: 'Attachment added',
  CorrectionRecorded: 'Correction recorded',
  FirClosed: 'FIR closed',
  CourtProceedingsDisposedOf: 'Court proceedings disposed of',
  IncomeTaxProceedingsClosed: 'Income Tax proceedings closed',
  ReleaseDisputeRaised: 'Release dispute raised',
  ReleaseDisputeResolved: 'Release dispute resolved',
  PersonalDataErased: 'Personal data erased',
};

/** The proceedings on a seizure (src/custody/cases.ts). */
export const CASE_KIND_LABELS: Readonly<Record<CaseKind, Label>> = {
  fir: { en: 'FIR', hi: 'प्राथमिकी' },
  court: { en: 'Court proceedings', hi: 'न्यायालय की कार्यवाही' },
  income_tax: { en: 'Income Tax proceedings', hi: 'आयकर कार्यवाही' },
  release_dispute: { en: 'Release dispute', hi: 'मुक्ति विवाद' },
};

/** How an FIR ended. */
export const FIR_CLOSURE_WAY_LABELS: Readonly<Record<FirClosureWay, Label>> = {
  closure_report_accepted: { en: 'Closure report accepted', hi: 'अंतिम रिपोर्ट स्वीकृत' },
  trial_ended: { en: 'Trial ended', hi: 'विचारण समाप्त' },
};

/** What the District Grievance Committee made of a release dispute. */
export const DISPUTE_OUTCOME_LABELS: Readonly<Record<DisputeOutcome, Label>> = {
  upheld: { en: 'Upheld', hi: 'स्वीकृत' },
  dismissed: { en: 'Dismissed', hi: 'खारिज' },
  withdrawn: { en: 'Withdrawn', hi: 'वापस लिया गया' },
};

export const EVENT_TYPES = Object.keys(EVENT_LABELS) as SeizureEventType[];

export const DEADLINE_KIND_LABELS: Readonly<Record<DeadlineKind, string>> = {
  held_after_poll: 'Held 7 days after the poll, no FIR',
  income_tax_referral: 'Cash above Rs 10 lakh not referred to Income Tax',
  transfer_acceptance: 'Transfer not answered within 24 hours',
  personal_data_erasure: 'Personal data due for erasure (retention ended)',
};

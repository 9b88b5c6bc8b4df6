/**
 * Named rule violations of the seizure aggregate. `code` names the rule and is the public problem
 * type; `kind` says what sort of refusal it is (the HTTP edge turns it into a status).
 */

export type RuleKind = 'not_found' | 'forbidden' | 'conflict' | 'invalid';

/**
 * Every code decide (and the custody queries) can refuse with, and the kinds it is thrown as.
 * One kind each, except `disposal-order-required`: forbidden for someone who cannot order a
 * disposal, invalid for an order without a number. `violation` accepts only these pairs, so a new
 * rule cannot be thrown without being listed here, where the error registry reads it.
 */
export const SEIZURE_RULE_CODES = {
  'seizure-not-found': ['not_found'],
  'out-of-scope': ['forbidden'],
  'unknown-command': ['invalid'],
  // Items
  'no-items': ['invalid'],
  'item-listed-twice': ['invalid'],
  'unknown-item': ['not_found'],
  'item-no-longer-held': ['conflict'],
  'item-in-transit': ['conflict'],
  'not-current-custodian': ['forbidden'],
  'items-held-by-different-custodians': ['invalid'],
  'not-a-positive-integer': ['invalid'],
  'not-a-non-negative-integer': ['invalid'],
  'date-in-future': ['invalid'],
  // Recording and valuing
  'seizure-already-recorded': ['conflict'],
  'unknown-place': ['invalid'],
  'too-few-witnesses': ['invalid'],
  'unit-not-allowed': ['invalid'],
  'cash-value-differs': ['invalid'],
  // Transfers
  'transfer-id-in-use': ['conflict'],
  'transfer-already-open': ['conflict'],
  'transfer-to-self': ['invalid'],
  'unknown-transfer': ['not_found'],
  'transfer-not-open': ['conflict'],
  'not-the-recipient': ['forbidden'],
  'count-every-item': ['invalid'],
  'seal-listed-twice': ['invalid'],
  'report-every-seal': ['invalid'],
  // Deposits and Income Tax
  'challan-already-recorded': ['conflict'],
  'only-cash-can-be-deposited': ['conflict'],
  'cash-already-deposited': ['conflict'],
  'unknown-deposit': ['not_found'],
  'deposit-already-confirmed': ['conflict'],
  'not-the-receiving-treasury': ['forbidden'],
  'confirmer-made-the-deposit': ['forbidden'],
  'income-tax-clearance-required': ['conflict'],
  'already-referred-to-income-tax': ['conflict'],
  'not-referred-to-income-tax': ['conflict'],
  'income-tax-already-cleared': ['conflict'],
  'not-income-tax': ['forbidden'],
  // FIR, release and disposal
  'fir-already-registered': ['conflict'],
  'not-a-release-authority': ['forbidden'],
  'court-order-required': ['conflict'],
  'order-already-recorded': ['conflict'],
  'release-order-required': ['conflict'],
  'item-not-in-order': ['conflict'],
  'identity-not-checked': ['invalid'],
  'not-the-named-recipient': ['invalid'],
  'not-the-named-document': ['invalid'],
  'named-recipient-erased': ['conflict'],
  'disposal-order-required': ['forbidden', 'invalid'],
  // Cases: FIR, court, Income Tax proceedings and release disputes open and close
  'not-an-officer': ['forbidden'],
  'not-a-court': ['forbidden'],
  'not-the-committee': ['forbidden'],
  'fir-not-registered': ['conflict'],
  'fir-already-closed': ['conflict'],
  'date-before-opening': ['invalid'],
  'no-court-proceedings-open': ['conflict'],
  'income-tax-proceedings-already-closed': ['conflict'],
  'dispute-id-in-use': ['conflict'],
  'unknown-dispute': ['not_found'],
  'dispute-already-resolved': ['conflict'],
  // Erasure of personal data
  'not-an-eraser': ['forbidden'],
  'court-order-details-required': ['invalid'],
  'no-personal-data-of-subject': ['not_found'],
  'retention-not-running': ['conflict'],
  'personal-data-still-needed': ['conflict'],
  // Attachments and corrections
  'unknown-event': ['not_found'],
  'correct-the-original': ['invalid'],
  'not-the-author': ['forbidden'],
} as const satisfies Record<string, readonly [RuleKind, ...RuleKind[]]>;

export type SeizureRuleCode = keyof typeof SEIZURE_RULE_CODES;

/** The kinds a code may be thrown as. */
export type KindOf<C extends SeizureRuleCode> = (typeof SEIZURE_RULE_CODES)[C][number];

export class SeizureRuleViolation extends Error {
  constructor(
    readonly code: SeizureRuleCode,
    readonly kind: RuleKind,
    message: string,
    /** The command field the rule is about, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'SeizureRuleViolation';
  }
}

export const violation = <C extends SeizureRuleCode>(code: C, kind: KindOf<C>, message: string, field?: string) =>
  new SeizureRuleViolation(code, kind, message, field);

export const SeizureNotFound = (id?: string) =>
  violation('seizure-not-found', 'not_found', `seizure ${id ?? ''} has not been recorded`.replace('  ', ' '));
export const OutOfScope = () => violation('out-of-scope', 'forbidden', 'this seizure is outside your jurisdiction');

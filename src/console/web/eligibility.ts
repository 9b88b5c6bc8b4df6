import type { SeizureView, TrailEntry } from '../../custody/http/seizure-view';
import type { Custodian } from '../../custody/values';
import type { Actor } from '../../shared/actor';

/**
 * What this user may do on this seizure now, decided from the seizure view the page loaded, by
 * the rules the server applies to the same state (src/custody/rules.ts and the commands' decide
 * functions). The console offers an action only where these find something to act on; the server
 * stays the authority and still refuses whatever these get wrong. Roles are permissions.ts's.
 */

export type Item = SeizureView['items'][number];
type Transfer = SeizureView['transfers'][number];
type Deposit = SeizureView['deposits'][number];
type ReleaseOrder = SeizureView['releaseOrders'][number];

/** Cash above Rs 10 lakh must be cleared by Income Tax before release (rules.ts INCOME_TAX_THRESHOLD_PAISE; a test keeps them equal). */
export const INCOME_TAX_THRESHOLD_PAISE = 10_00_000 * 100;

/** Whether a custodian names this user: a person by user id, any other kind by the user's unit (rules.ts custodianAddress). */
export function addressedTo(actor: Pick<Actor, 'sub' | 'unit'>, custodian: Pick<Custodian, 'kind' | 'id'>): boolean {
  return custodian.kind === 'person' ? custodian.id === actor.sub : custodian.id === actor.unit;
}

/** Items still held whose current custodian is this user: the only ones they may hand over, value, deposit or release. */
export const heldBy = (view: SeizureView, actor: Actor): Item[] =>
  view.items.filter((i) => i.disposition === 'held' && addressedTo(actor, i.custodian));

/** Held by this user and not in a transfer already: what they may hand over. */
export const movableBy = (view: SeizureView, actor: Actor): Item[] => heldBy(view, actor).filter((i) => i.openTransferId === null);

/** Cash this user holds, not in transfer, not yet deposited: what they may deposit. */
export const cashToDepositBy = (view: SeizureView, actor: Actor): Item[] =>
  movableBy(view, actor).filter((i) => i.category === 'cash' && i.depositChallan === null);

/** Things this user holds that have a value to vouch for (cash is its own value). */
export const valuableBy = (view: SeizureView, actor: Actor): Item[] => heldBy(view, actor).filter((i) => i.category !== 'cash');

/** Open transfers naming this user as the recipient: the only ones they may accept or reject. */
export const transfersAwaiting = (view: SeizureView, actor: Actor): Transfer[] =>
  view.transfers.filter((t) => t.status === 'open' && addressedTo(actor, t.to));

/** Pending deposits at this user's own treasury, made by someone else: the only ones they may confirm. */
export const depositsToConfirm = (view: SeizureView, actor: Actor): Deposit[] =>
  view.deposits.filter((d) => d.status === 'pending' && d.treasury.id === actor.unit && d.depositedBy !== actor.sub);

/** Whether the seizure's cash keeps it from release until Income Tax clears it. */
const cashAwaitsIncomeTax = (view: SeizureView): boolean =>
  view.totals.cashPaise > INCOME_TAX_THRESHOLD_PAISE && !(view.incomeTax.referenceNumber !== null && view.incomeTax.cleared);

/** What may be released now: held items, cash only once Income Tax cleared it where the amount requires. */
const releasable = (view: SeizureView, items: readonly Item[]): Item[] =>
  items.filter((i) => i.disposition === 'held' && !(i.category === 'cash' && cashAwaitsIncomeTax(view)));

/** Who orders a release: a court, or the District Grievance Committee while no FIR is registered. */
export function releaseAuthority(view: SeizureView, actor: Actor): 'court' | 'dgc' | null {
  if (actor.roles.includes('court')) return 'court';
  if (actor.roles.includes('committee') && view.fir === null) return 'dgc';
  return null;
}

/** The items this user may order released. */
export const releaseOrderableBy = (view: SeizureView, actor: Actor): Item[] =>
  releaseAuthority(view, actor) === null ? [] : releasable(view, view.items);

/** Orders this user may release items under, with the items: theirs, not in transfer, ordered, and the order valid after an FIR. */
export function releasesBy(view: SeizureView, actor: Actor): { orders: ReleaseOrder[]; items: Item[] } {
  const mine = releasable(view, movableBy(view, actor));
  const orders = view.releaseOrders.filter(
    (o) => (view.fir === null || o.authority === 'court') && o.itemIds.some((id) => mine.some((i) => i.itemId === id)),
  );
  const ordered = new Set(orders.flatMap((o) => o.itemIds));
  return { orders, items: mine.filter((i) => ordered.has(i.itemId)) };
}

/** What this user may order disposed of: a court anything held; the drug disposal committee drugs, and not after an FIR. */
export function disposableBy(view: SeizureView, actor: Actor): Item[] {
  const held = view.items.filter((i) => i.disposition === 'held' && i.openTransferId === null);
  if (actor.roles.includes('court')) return held;
  if (actor.roles.includes('committee') && view.fir === null) return held.filter((i) => i.category === 'drugs');
  return [];
}

/** Events this user may correct: the ones they recorded (an administrator any), never a correction itself. */
export function correctableEvents(events: readonly TrailEntry[], actor: Actor): TrailEntry[] {
  const admin = actor.roles.includes('admin');
  return events.filter((e) => {
    if (e.type === 'CorrectionRecorded') return false;
    const author = (e.metadata as { actor?: { sub?: unknown } } | null)?.actor?.sub;
    return admin || author === actor.sub;
  });
}

/** An FIR is registered once; a referral to Income Tax made once; a clearance given once, by Income Tax, after a referral. */
export const mayRegisterFir = (view: SeizureView): boolean => view.fir === null;
export const mayReferToIncomeTax = (view: SeizureView): boolean => view.incomeTax.referenceNumber === null;
export const mayClearIncomeTax = (view: SeizureView, actor: Actor): boolean =>
  view.incomeTax.referenceNumber !== null && !view.incomeTax.cleared && actor.agency === 'income_tax';

// The cases on the seizure (src/custody/cases.ts says what opens and closes each), and who records their end.

type Case = SeizureView['cases'][number];

/** The open case of a kind, as the server's openCase finds it (disputes are found by id, elsewhere). */
const openCaseOf = (view: SeizureView, kind: Case['kind']): Case | undefined =>
  view.cases.find((c) => c.kind === kind && c.closed === null);

/** An officer records that the FIR ended: only once one is registered, and while its case is open. */
export const mayCloseFir = (view: SeizureView, actor: Actor): boolean =>
  actor.roles.includes('officer') && view.fir !== null && openCaseOf(view, 'fir') !== undefined;

/** A court records that its proceedings are disposed of, while some are open (an FIR, or a court order, opened them). */
export const mayDisposeOfCourtProceedings = (view: SeizureView, actor: Actor): boolean =>
  actor.roles.includes('court') && openCaseOf(view, 'court') !== undefined;

/** An Income Tax officer records that the proceedings closed: only after a referral, and once. */
export const mayCloseIncomeTaxProceedings = (view: SeizureView, actor: Actor): boolean =>
  actor.roles.includes('officer') &&
  actor.agency === 'income_tax' &&
  view.incomeTax.referenceNumber !== null &&
  openCaseOf(view, 'income_tax') !== undefined;

/** The items the District Grievance Committee may record a release dispute over: any of the seizure's, nothing need be open. */
export const disputableBy = (view: SeizureView, actor: Actor): Item[] => (actor.roles.includes('committee') ? view.items : []);

/** The release disputes the committee may resolve: the open ones. */
export const disputesToResolve = (view: SeizureView, actor: Actor): Case[] =>
  actor.roles.includes('committee') ? view.cases.filter((c) => c.kind === 'release_dispute' && c.closed === null) : [];

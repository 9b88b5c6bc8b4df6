import type { SeizureView } from '../../custody/http/seizure-view';
import type { CommandOutcome } from '../../custody/handle-command';
import type { Actor } from '../../shared/actor';
import type { AppContext } from './app';
import { bilingual, h } from './dom';
import { held, type ActionForm, type ActionScope, type PostAction } from './actions/common';
import { confirmDepositAction, depositAction, valuationAction } from './actions/money';
import { clearanceAction, firAction, referralAction } from './actions/proceedings';
import { disposalAction, releaseAction, releaseOrderAction } from './actions/release';
import { transferAction } from './actions/transfer';
import { actionPath, may } from './permissions';
import { outcomeText } from './transfer-answer';

/**
 * The commands a user may give on one seizure, each a form, offered only to the roles the API
 * allows (permissions.ts) and only where the seizure gives it something to act on (a deposit to
 * confirm needs a pending deposit). Every other rule is the server's: its answer is shown at the
 * field it concerns.
 */

/** Every action form, in the order they are offered. */
const ACTION_FORMS: readonly ActionForm[] = [
  transferAction,
  valuationAction,
  depositAction,
  confirmDepositAction,
  referralAction,
  clearanceAction,
  firAction,
  releaseOrderAction,
  releaseAction,
  disposalAction,
];

function poster(seizureId: string, context: AppContext, refresh: () => void): PostAction {
  return async (action, body, done, params = {}) => {
    const outcome = await context.api.post<CommandOutcome>(actionPath(action, { seizureId, ...params }), body);
    context.notify(outcomeText(outcome, done));
    refresh();
  };
}

function actionScope(view: SeizureView, actor: Actor, post: PostAction): ActionScope {
  const movable = held(view.items).filter((i) => i.openTransferId === null);
  return {
    view,
    actor,
    post,
    movable,
    cashToDeposit: movable.filter((i) => i.category === 'cash' && i.depositChallan === null),
    pendingDeposits: view.deposits.filter((d) => d.status === 'pending' && d.treasury.id === actor.unit),
    orders: view.releaseOrders.filter((o) => o.itemIds.some((id) => view.items.find((i) => i.itemId === id)?.disposition === 'held')),
  };
}

/** One action, closed: its form is built when first opened. */
function actionDetails(form: ActionForm, scope: ActionScope): HTMLDetailsElement {
  const details = h('details', { class: 'action', 'data-action': form.action }, h('summary', null, bilingual(...form.title)));
  // Built when opened: forms read the seizure as it is then, and closed ones cost nothing.
  details.addEventListener('toggle', () => {
    if (details.open && details.querySelector('form') === null) details.append(form.build(scope));
  });
  return details;
}

export function seizureActions(view: SeizureView, actor: Actor, context: AppContext, refresh: () => void): HTMLElement | null {
  const scope = actionScope(view, actor, poster(view.seizureId, context, refresh));
  const offered = ACTION_FORMS.filter((f) => may(actor.roles, f.action) && f.applies(scope));
  if (offered.length === 0) return null;
  return h(
    'div',
    { class: 'action-list' },
    offered.map((f) => actionDetails(f, scope)),
  );
}

import type { SeizureView, TrailEntry } from '../../custody/http/seizure-view';
import type { CommandOutcome } from '../../custody/handle-command';
import type { Actor } from '../../shared/actor';
import type { AppContext } from './app';
import { bilingual, h } from './dom';
import type { ActionForm, ActionScope, PostAction, UploadAction } from './actions/common';
import { attachmentAction } from './actions/attachment';
import { courtDisposalAction, firClosureAction, incomeTaxClosureAction } from './actions/case-closures';
import { correctionAction } from './actions/correction';
import { raiseDisputeAction, resolveDisputeAction } from './actions/disputes';
import { confirmDepositAction, depositAction, valuationAction } from './actions/money';
import { clearanceAction, firAction, referralAction } from './actions/proceedings';
import { disposalAction, releaseAction, releaseOrderAction } from './actions/release';
import { transferAction } from './actions/transfer';
import {
  cashToDepositBy,
  correctableEvents,
  depositsToConfirm,
  disposableBy,
  disputableBy,
  disputesToResolve,
  movableBy,
  releaseOrderableBy,
  releasesBy,
  valuableBy,
} from './eligibility';
import { actionPath, may } from './permissions';
import { outcomeText } from './transfer-answer';

/**
 * The commands a user may give on one seizure, each a form, offered only to the roles the API
 * allows (permissions.ts) and only where the seizure gives this user something to act on now
 * (eligibility.ts: cash they hold to deposit, a deposit at their treasury to confirm…). The server
 * stays the authority: its answer is shown at the field it concerns.
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
  firClosureAction,
  courtDisposalAction,
  incomeTaxClosureAction,
  raiseDisputeAction,
  resolveDisputeAction,
  attachmentAction,
  correctionAction,
];

function poster(seizureId: string, context: AppContext, refresh: () => void): PostAction {
  return async (action, body, done, params = {}) => {
    const outcome = await context.api.post<CommandOutcome>(actionPath(action, { seizureId, ...params }), body);
    context.notify(outcomeText(outcome, done));
    refresh();
  };
}

function uploader(seizureId: string, context: AppContext): UploadAction {
  return (query, file, mediaType) =>
    context.api.postBytes<CommandOutcome & { sha256: string }>(actionPath('addAttachment', { seizureId }), query, file, mediaType);
}

function actionScope(
  view: SeizureView,
  events: readonly TrailEntry[],
  actor: Actor,
  context: AppContext,
  refresh: () => void,
): ActionScope {
  const releases = releasesBy(view, actor);
  return {
    view,
    actor,
    post: poster(view.seizureId, context, refresh),
    upload: uploader(view.seizureId, context),
    refresh,
    notify: (text) => context.notify(text),
    events,
    movable: movableBy(view, actor),
    valuable: valuableBy(view, actor),
    cashToDeposit: cashToDepositBy(view, actor),
    pendingDeposits: depositsToConfirm(view, actor),
    orders: releases.orders,
    releasable: releases.items,
    orderable: releaseOrderableBy(view, actor),
    disposable: disposableBy(view, actor),
    correctable: correctableEvents(events, actor),
    disputable: disputableBy(view, actor),
    disputesToResolve: disputesToResolve(view, actor),
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

export function seizureActions(
  view: SeizureView,
  events: readonly TrailEntry[],
  actor: Actor,
  context: AppContext,
  refresh: () => void,
): HTMLElement | null {
  const scope = actionScope(view, events, actor, context, refresh);
  const offered = ACTION_FORMS.filter((f) => may(actor.roles, f.action) && f.applies(scope));
  if (offered.length === 0) return null;
  return h(
    'div',
    { class: 'action-list' },
    offered.map((f) => actionDetails(f, scope)),
  );
}

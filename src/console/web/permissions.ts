import type { Role } from '../../shared/actor';

/**
 * Which roles may call each route the console offers, as the API's @Roles() declare them. The
 * console offers an action only to those roles, and the server stays the authority: it refuses
 * anyone else whatever the page shows. A test (test/browser/console-permissions.e2e.spec.ts)
 * checks every line against the running server's route metadata, so the two cannot drift.
 *
 * Rules beyond roles (only the current custodian hands over, only the named recipient accepts,
 * only the receiving treasury confirms…) are decided by the server on the data; eligibility.ts
 * applies the same rules to the seizure the page shows, so the console offers an action only to
 * whoever may take it now, and shows the server's refusal at the form if they disagree.
 */
export interface ConsoleAction {
  method: 'GET' | 'POST';
  /** The route, with :params as in the controllers. */
  path: string;
  roles: readonly Role[];
}

export const ACTIONS = {
  recordSeizure: { method: 'POST', path: '/seizures', roles: ['officer'] },
  valueItems: { method: 'POST', path: '/seizures/:seizureId/valuations', roles: ['officer', 'custodian'] },
  initiateTransfer: { method: 'POST', path: '/seizures/:seizureId/transfers', roles: ['officer', 'custodian', 'treasury'] },
  acceptTransfer: {
    method: 'POST',
    path: '/seizures/:seizureId/transfers/:transferId/accept',
    roles: ['officer', 'custodian', 'treasury'],
  },
  rejectTransfer: {
    method: 'POST',
    path: '/seizures/:seizureId/transfers/:transferId/reject',
    roles: ['officer', 'custodian', 'treasury'],
  },
  depositCash: { method: 'POST', path: '/seizures/:seizureId/deposits', roles: ['officer', 'custodian', 'treasury'] },
  confirmDeposit: { method: 'POST', path: '/seizures/:seizureId/deposits/:challanNumber/confirm', roles: ['treasury'] },
  referToIncomeTax: { method: 'POST', path: '/seizures/:seizureId/income-tax-referrals', roles: ['officer', 'committee'] },
  clearIncomeTax: { method: 'POST', path: '/seizures/:seizureId/income-tax-clearances', roles: ['officer'] },
  registerFir: { method: 'POST', path: '/seizures/:seizureId/firs', roles: ['officer'] },
  orderRelease: { method: 'POST', path: '/seizures/:seizureId/release-orders', roles: ['committee', 'court'] },
  releaseItems: { method: 'POST', path: '/seizures/:seizureId/releases', roles: ['officer', 'custodian', 'treasury'] },
  disposeItems: { method: 'POST', path: '/seizures/:seizureId/disposals', roles: ['committee', 'court'] },
  closeFir: { method: 'POST', path: '/seizures/:seizureId/fir-closures', roles: ['officer'] },
  disposeOfCourtProceedings: { method: 'POST', path: '/seizures/:seizureId/court-proceedings-disposals', roles: ['court'] },
  closeIncomeTaxProceedings: { method: 'POST', path: '/seizures/:seizureId/income-tax-proceedings-closures', roles: ['officer'] },
  raiseReleaseDispute: { method: 'POST', path: '/seizures/:seizureId/release-disputes', roles: ['committee'] },
  resolveReleaseDispute: {
    method: 'POST',
    path: '/seizures/:seizureId/release-disputes/:disputeId/resolution',
    roles: ['committee'],
  },
  downloadEvidence: { method: 'GET', path: '/seizures/:seizureId/evidence', roles: ['court', 'committee', 'officer'] },
  addAttachment: { method: 'POST', path: '/seizures/:seizureId/attachments', roles: ['officer', 'custodian', 'treasury', 'committee'] },
  recordCorrection: {
    method: 'POST',
    path: '/seizures/:seizureId/corrections',
    roles: ['officer', 'custodian', 'treasury', 'committee', 'court', 'admin'],
  },
} as const satisfies Record<string, ConsoleAction>;

export type ActionId = keyof typeof ACTIONS;

/** Whether someone holding these roles may take the action (at least one role listed; none implies another). */
export function may(roles: readonly string[], action: ActionId): boolean {
  return (ACTIONS[action].roles as readonly string[]).some((role) => roles.includes(role));
}

/** The action's URL with its parameters filled in (each encoded). */
export function actionPath(action: ActionId, params: Readonly<Record<string, string>>): string {
  return ACTIONS[action].path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${action} needs ${name}`);
    return encodeURIComponent(value);
  });
}

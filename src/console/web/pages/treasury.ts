import type {
  TreasuryReconciliation,
  TreasuryReconciliationReport,
} from '../../../read-models/treasury-reconciliation/treasury-reconciliation.query';
import { debounce, type Page } from '../app';
import { badge, code, h, replace, table } from '../dom';
import { dateTime, grouped, rupees } from '../format';
import { heading, problemBox } from '../ui';

const tally = (t: { paise: number }, count: number, noun: string): string =>
  `${rupees(t.paise)} (${grouped(count)} ${noun}${count === 1 ? '' : 's'})`;

function treasuryPanel(t: TreasuryReconciliation): HTMLElement {
  const p = t.pendingConfirmation;
  const unconfirmed = t.deposited.paise - t.confirmed.paise;
  return h(
    'section',
    { class: 'panel', 'aria-label': `Treasury ${t.treasury.name}` },
    h(
      'h2',
      null,
      `${t.treasury.name} (${t.treasury.id})`,
      ' ',
      t.mismatches.length > 0
        ? badge(`${t.mismatches.length} mismatch${t.mismatches.length === 1 ? '' : 'es'}`, 'bad')
        : badge('no mismatch', 'good'),
    ),
    table(
      'Cash handed over, deposited and confirmed',
      ['Stage', 'Amount'],
      [
        ['Handed over to the treasury', tally(t.handedOver, t.handedOver.transfers, 'transfer')],
        ['Accepted (as counted)', tally(t.accepted, t.accepted.transfers, 'transfer')],
        ['Rejected', tally(t.rejected, t.rejected.transfers, 'transfer')],
        ['Awaiting acceptance', tally(t.awaitingAcceptance, t.awaitingAcceptance.transfers, 'transfer')],
        ['Deposited (challans)', tally(t.deposited, t.deposited.challans, 'challan')],
        ['Confirmed by the treasury', tally(t.confirmed, t.confirmed.challans, 'challan')],
        ['Deposited, not yet confirmed', rupees(unconfirmed)],
        ['Pending confirmation < 24 h', tally(p.byAge.under24h, p.byAge.under24h.challans, 'challan')],
        ['Pending 1–3 days', tally(p.byAge.oneToThreeDays, p.byAge.oneToThreeDays.challans, 'challan')],
        ['Pending over 3 days', tally(p.byAge.overThreeDays, p.byAge.overThreeDays.challans, 'challan')],
      ],
      { numeric: [1] },
    ),
    p.deposits.length > 0
      ? table(
          'Deposits awaiting confirmation',
          ['Challan', 'Amount', 'Deposited on', 'Recorded', 'Seizure'],
          p.deposits.map((d) => [
            code(d.challanNumber),
            rupees(d.amountPaise),
            d.depositedOn,
            dateTime(d.recordedAt),
            h('a', { href: `#/seizures/${d.seizureId}` }, 'Open seizure'),
          ]),
          { numeric: [1] },
        )
      : null,
    t.mismatches.length > 0
      ? table(
          'Mismatches',
          ['Reference', 'Kind', 'Expected', 'Found', 'Seizure'],
          t.mismatches.map((m) => [
            [`${m.referenceKind} `, code(m.reference)],
            m.kind.replace(/_/g, ' '),
            m.expected,
            m.found,
            h('a', { href: `#/seizures/${m.seizureId}` }, 'Open seizure'),
          ]),
        )
      : null,
  );
}

/** Treasury reconciliation: cash handed over, accepted, deposited and confirmed, per treasury. */
export const treasuryPage = (): Page => {
  let refresh: (() => void) | undefined;
  return {
    title: 'Treasury reconciliation',
    async render(main, context) {
      const output = h('div', { 'aria-live': 'polite' });
      main.replaceChildren(heading('Treasury reconciliation ', h('span', { lang: 'hi', class: 'hi' }, 'कोषागार मिलान')), output);
      const load = async (): Promise<void> => {
        const report = await context.api.query<TreasuryReconciliationReport>('/treasuries/reconciliation');
        replace(
          output,
          h('p', { class: 'muted' }, `As of ${dateTime(report.asOf)}; ledger position ${grouped(report.ledgerPosition)}.`),
          report.treasuries.length === 0
            ? h('p', { class: 'empty' }, 'No cash has been handed over to or deposited with a treasury within your jurisdiction.')
            : report.treasuries.map(treasuryPanel),
        );
      };
      refresh = debounce(() => void load().catch((error: unknown) => replace(output, problemBox(error))), 1000);
      await load();
    },
    onLiveEvent(event) {
      if (
        [
          'CustodyTransferInitiated',
          'CustodyTransferAccepted',
          'CustodyTransferRejected',
          'CashDeposited',
          'DepositConfirmed',
          'DiscrepancyRecorded',
        ].includes(event.type)
      )
        refresh?.();
    },
  };
};

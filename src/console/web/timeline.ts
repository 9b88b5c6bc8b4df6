import type { Custodian } from '../../custody/values';
import type {
  CustodyInterval,
  DiscrepancyView,
  ItemCustodyHistory,
  TransferNeverAccepted,
} from '../../read-models/custody-history/custody-history.query';
import { badge, h, type Child } from './dom';
import { dateTime, isRedacted, quantity } from './format';
import { CATEGORY_LABELS, CUSTODIAN_KIND_LABELS } from './labels';
import { shortHash } from './ui';

/**
 * The custody timeline of one item: who held it, from when to when, the seals handed over and
 * what the receiver found, counts, and every discrepancy, highlighted. Drawn twice: a bar whose
 * segments are proportional to how long each custodian held the item (for the eye; hidden from
 * screen readers), and an ordered list that says the same in words.
 */

export function custodianText(custodian: Custodian): string {
  const kind = CUSTODIAN_KIND_LABELS[custodian.kind];
  return `${custodian.name} (${kind ? kind.en : custodian.kind} ${custodian.id})`;
}

/** Remarks as typed; left out where empty or withheld (the raw trail says what was withheld). */
const typedRemarks = (remarks: string | { redacted: true } | null): HTMLElement | null =>
  remarks === null || remarks === '' || isRedacted(remarks) ? null : h('p', null, `Remarks: ${remarks}`);

function discrepancyBox(d: DiscrepancyView): HTMLElement {
  return h(
    'div',
    { class: 'discrepancy', role: 'note' },
    h('p', null, h('strong', null, `Discrepancy: ${d.kind.replace(/_/g, ' ')}`), ` in ${d.reference}, ${dateTime(d.occurredAt)}`),
    h('p', null, `Expected: ${d.expected}`),
    h('p', null, `Found: ${d.found}`),
    typedRemarks(d.remarks),
  );
}

function sealsLine(interval: CustodyInterval): Child[] {
  const handed = interval.handedOverSeals.length > 0 ? interval.handedOverSeals.join(', ') : 'none listed';
  const found =
    interval.sealsFound === null
      ? null
      : interval.sealsFound.length === 0
        ? ['; found: ', 'no seals reported']
        : [
            '; found: ',
            interval.sealsFound.map((seal, i) => [
              i > 0 ? ', ' : '',
              h('span', { class: seal.condition === 'intact' ? 'seal-ok' : 'seal-bad' }, `${seal.number} ${seal.condition}`),
            ]),
          ];
  return [interval.seq === 0 ? 'Seals put on at seizure: ' : 'Seals handed over: ', handed, found];
}

function intervalItem(interval: CustodyInterval, item: ItemCustodyHistory): HTMLElement {
  const troubled = interval.discrepancies.length > 0 || (interval.sealsFound ?? []).some((s) => s.condition !== 'intact');
  const ended =
    interval.to === null
      ? h('strong', null, 'holds it now')
      : interval.endedBy === 'transfer'
        ? `${dateTime(interval.to)} (handed over)`
        : `${dateTime(interval.to)} (${interval.endedBy === 'released' ? 'released' : 'disposed of'}${interval.endOrderNumber ? ` under order ${interval.endOrderNumber}` : ''})`;
  return h(
    'li',
    { class: troubled ? 'interval troubled' : 'interval' },
    h(
      'p',
      { class: 'custodian' },
      h('strong', null, custodianText(interval.custodian)),
      troubled ? [' ', badge('discrepancy', 'bad')] : null,
    ),
    h('p', null, `From ${dateTime(interval.from)} to `, ended),
    h('p', null, sealsLine(interval)),
    interval.countedQuantity !== null
      ? h(
          'p',
          null,
          `${interval.seq === 0 ? 'Recorded at seizure' : 'Counted on receipt'}: ${quantity(interval.countedQuantity, item.unit)}`,
        )
      : null,
    typedRemarks(interval.remarks),
    interval.discrepancies.map(discrepancyBox),
    h(
      'p',
      { class: 'proof' },
      'Proved by ',
      interval.proofs.map((p, i) => [i > 0 ? ', ' : '', `${p.type} #${p.revision} `, shortHash(p.hash)]),
    ),
  );
}

function neverAccepted(transfer: TransferNeverAccepted): HTMLElement {
  const open = transfer.status === 'open';
  return h(
    'li',
    { class: open ? 'interval pending' : 'interval troubled' },
    h(
      'p',
      null,
      h('strong', null, open ? 'Awaiting acceptance: ' : 'Rejected: '),
      `${custodianText(transfer.from)} → ${custodianText(transfer.to)}`,
    ),
    h(
      'p',
      null,
      `Started ${dateTime(transfer.initiatedAt)} by ${transfer.initiatedBy.name}; seals ${transfer.sealNumbers.join(', ') || 'none listed'}`,
    ),
    transfer.rejectedAt
      ? h(
          'p',
          null,
          `Rejected ${dateTime(transfer.rejectedAt)}${typeof transfer.rejectionReason === 'string' ? `: ${transfer.rejectionReason}` : ''}`,
        )
      : null,
    transfer.discrepancies.map(discrepancyBox),
  );
}

/** Proportional segments, one per custodian, ending now for an item still held. */
function bar(item: ItemCustodyHistory, now: number): HTMLElement {
  const start = item.intervals.length > 0 ? Date.parse(item.intervals[0].from) : now;
  const end = Math.max(now, start + 1);
  const segments = item.intervals.map((interval, i) => {
    const from = Date.parse(interval.from);
    const to = interval.to === null ? end : Date.parse(interval.to);
    const segment = h(
      'span',
      { class: `segment tone-${i % 4}${interval.discrepancies.length > 0 ? ' troubled' : ''}` },
      interval.custodian.name,
    );
    // Set through the CSSOM, which the page's Content-Security-Policy allows (inline style attributes it does not).
    segment.style.flexGrow = String(Math.max(to - from, (end - start) / 50));
    return segment;
  });
  return h('div', { class: 'custody-bar', 'aria-hidden': 'true' }, segments);
}

export function itemTimeline(item: ItemCustodyHistory, now = Date.now()): HTMLElement {
  const category = CATEGORY_LABELS[item.category];
  return h(
    'section',
    { class: 'item-timeline', 'aria-label': `Custody of ${item.itemId}` },
    h(
      'h3',
      null,
      `${item.itemId}: ${item.description}`,
      ' ',
      h('span', { class: 'muted' }, `${category.en} · `, h('span', { lang: 'hi' }, category.hi), `, ${quantity(item.quantity, item.unit)}`),
    ),
    h(
      'p',
      null,
      'Now: ',
      item.currentCustodian ? custodianText(item.currentCustodian) : item.disposition === 'released' ? 'released' : 'disposed of',
    ),
    bar(item, now),
    h(
      'ol',
      { class: 'intervals' },
      item.intervals.map((interval) => intervalItem(interval, item)),
      item.transfersNeverAccepted.map(neverAccepted),
    ),
    item.gaps.length > 0
      ? h(
          'div',
          { class: 'discrepancy', role: 'note' },
          h('p', null, h('strong', null, 'Breaks in the chain of custody')),
          h(
            'ul',
            null,
            item.gaps.map((g) => h('li', null, `${g.kind}: ${g.detail}`)),
          ),
        )
      : null,
  );
}

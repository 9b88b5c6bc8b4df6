import type { SeizureView, TrailEntry } from '../../../custody/http/seizure-view';
import type { SeizureCustodyHistory, SeizureTimeline } from '../../../read-models/custody-history/custody-history.query';
import { seizureActions } from '../actions';
import { confirmedUploads } from '../actions/attachment';
import { ApiProblem } from '../api';
import { debounce, type AppContext, type Page } from '../app';
import { badge, bilingual, code, codes, h, replace, table } from '../dom';
import { WITHHELD, dateTime, isRedacted, quantity, rupees } from '../format';
import { CATEGORY_LABELS, EVENT_LABELS, STATUS_LABELS } from '../labels';
import { transfersAwaiting } from '../eligibility';
import { may } from '../permissions';
import { itemTimeline, custodianText } from '../timeline';
import { casesSection } from './seizure-cases';
import { acceptForm, rejectForm, type ItemFacts } from '../transfer-answer';
import { facts, heading, problemBox, refreshOrOffer, section, shortHash, updateBar } from '../ui';

type Item = SeizureView['items'][number];

/** The seizure's status as the search read model defines it, from its items. */
function statusOf(items: readonly Item[]): keyof typeof STATUS_LABELS {
  if (items.some((i) => i.openTransferId !== null)) return 'in_transfer';
  const held = items.filter((i) => i.disposition === 'held').length;
  if (held === items.length) return 'held';
  if (items.every((i) => i.disposition === 'disposed')) return 'disposed';
  return held === 0 ? 'released' : 'partly_released';
}

/** What every seizure event's metadata holds (handle-command.ts writes it). */
interface EventMetadata {
  occurredAt: string;
  actor: { sub: string; name: string; unit: string };
}
const metadataOf = (e: TrailEntry): EventMetadata => e.metadata as unknown as EventMetadata;

function particulars(view: SeizureView): HTMLElement {
  const l = view.location;
  return facts([
    ['Memo number', view.memoNumber],
    ['Seized at', dateTime(view.seizedAt)],
    ['Place', `${l.place}, ${l.district}, ${l.state} (AC ${l.assemblyConstituency}, PC ${l.parliamentaryConstituency})`],
    ['Agency and team', `${view.agency.replace(/_/g, ' ')}: ${view.team}`],
    ['Seizing officer', `${view.seizingOfficer.name} (${view.seizingOfficer.unit})`],
    ['Magistrate', view.magistrate ? `${view.magistrate.name}, ${view.magistrate.designation}` : 'none recorded'],
    ['Seized from', isRedacted(view.seizedFrom) ? WITHHELD : view.seizedFrom.name],
    ['Witnesses', isRedacted(view.witnesses) ? WITHHELD : view.witnesses.map((w) => w.name).join(', ')],
    ['Vehicle', view.vehicleNumber ?? 'none'],
    ['Election', `${view.election.name}, poll on ${view.election.pollDate ?? 'not recorded'}`],
    ['Linked to a candidate or party', view.linkedToCandidateOrParty ? 'yes' : 'no'],
    ['FIR', view.fir ? `${view.fir.firNumber}, ${view.fir.policeStation}, ${view.fir.registeredOn}` : 'none'],
    [
      'Income Tax',
      view.incomeTax.referenceNumber
        ? `referred under ${view.incomeTax.referenceNumber}${view.incomeTax.cleared ? ', cleared' : ', not yet cleared'}`
        : 'not referred',
    ],
    ['Total value', rupees(view.totals.valuePaise)],
    ['Cash', rupees(view.totals.cashPaise)],
  ]);
}

function itemsTable(view: SeizureView): HTMLElement {
  return table(
    'Items, their value and who holds them',
    ['Item', 'Category', 'Description', 'Quantity', 'Value', 'Seals', 'Current custodian', 'State'],
    view.items.map((item) => [
      code(item.itemId),
      [CATEGORY_LABELS[item.category].en, ' ', h('span', { lang: 'hi' }, CATEGORY_LABELS[item.category].hi)],
      item.description,
      quantity(item.quantity, item.unit),
      rupees(item.valuePaise),
      codes(item.sealNumbers),
      custodianText(item.custodian),
      item.disposition !== 'held'
        ? badge(item.disposition === 'released' ? 'released' : 'disposed of', 'good')
        : item.openTransferId
          ? badge('in transfer', 'warn')
          : item.depositChallan
            ? badge(`deposited, challan ${item.depositChallan}`, 'neutral')
            : badge('held', 'neutral'),
    ]),
    { numeric: [3, 4] },
  );
}

function transfersForMe(view: SeizureView, context: AppContext, refresh: () => void): HTMLElement | null {
  const actor = context.session?.actor;
  if (!actor || !may(actor.roles, 'acceptTransfer')) return null;
  const mine = transfersAwaiting(view, actor);
  if (mine.length === 0) return null;
  const items = new Map<string, ItemFacts>(view.items.map((i) => [i.itemId, i]));
  return section(
    bilingual('Transfers awaiting your acceptance', 'आपकी स्वीकृति की प्रतीक्षा'),
    mine.map((t) =>
      h(
        'article',
        { class: 'transfer-card' },
        h('p', null, `From ${custodianText(t.from)}: ${t.itemIds.join(', ')}; seals ${t.sealNumbers.join(', ') || 'none listed'}`),
        h(
          'details',
          { class: 'action' },
          h('summary', null, bilingual('Accept', 'स्वीकार करें')),
          acceptForm({ ...t, seizureId: view.seizureId }, items, context, refresh),
        ),
        h(
          'details',
          { class: 'action' },
          h('summary', null, bilingual('Reject', 'अस्वीकार करें')),
          rejectForm({ ...t, seizureId: view.seizureId }, context, refresh),
        ),
      ),
    ),
  );
}

/** What an AttachmentAdded event's data holds (the file name and description may be withheld from some roles). */
interface AttachmentData {
  sha256: string;
  mediaType: string;
  sizeBytes?: number;
  fileName?: unknown;
  description?: unknown;
}

/** The photos and documents attached, each with the SHA-256 the ledger recorded (and whether this device computed the same). */
function attachmentsSection(events: readonly TrailEntry[]): HTMLElement | null {
  const attached = events.filter((e) => e.type === 'AttachmentAdded');
  if (attached.length === 0) return null;
  const text = (value: unknown): string => (typeof value === 'string' && value !== '' ? value : isRedacted(value) ? WITHHELD : '—');
  return section(
    bilingual('Attachments', 'संलग्नक'),
    table(
      'Attachments and the SHA-256 the ledger recorded for each',
      ['File', 'What it shows', 'Type', 'SHA-256 recorded', 'Checked on this device'],
      attached.map((e) => {
        const data = e.data as unknown as AttachmentData;
        return [
          text(data.fileName),
          text(data.description),
          data.mediaType,
          h('code', { class: 'hash-full' }, data.sha256),
          confirmedUploads.has(data.sha256) ? badge('same hash as computed before upload', 'good') : '—',
        ];
      }),
    ),
  );
}

function evidenceSection(view: SeizureView, context: AppContext): HTMLElement | null {
  const roles = context.session?.actor.roles ?? [];
  if (!may(roles, 'downloadEvidence')) return null;
  const status = h('p', { class: 'muted', role: 'status' });
  const download = (format: 'json' | 'pdf') => async (event: Event) => {
    const button = event.currentTarget as HTMLButtonElement;
    button.disabled = true;
    status.textContent = 'Preparing the bundle: waiting for a signed tree head that covers the latest event…';
    try {
      await context.api.download(
        `/seizures/${view.seizureId}/evidence`,
        { format },
        `evidence-${view.seizureId}.${format}`,
        format === 'pdf' ? 'application/pdf' : 'application/json',
      );
      replace(
        status,
        `Downloaded the ${format === 'pdf' ? 'PDF' : 'JSON bundle'}. `,
        format === 'json' ? h('a', { href: '#/verify' }, 'Verify it in this browser') : null,
      );
    } catch (error) {
      status.textContent = error instanceof ApiProblem ? `${error.title}: ${error.detail}` : String(error);
    } finally {
      button.disabled = false;
    }
  };
  return section(
    bilingual('Evidence', 'साक्ष्य'),
    h(
      'p',
      null,
      'Every event with its hash chain and inclusion proofs against a signed tree head, with Part A of the Section 63 certificate (Bharatiya Sakshya Adhiniyam 2023) pre-filled. The JSON is what a verifier checks; the PDF is its print.',
    ),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'button', class: 'primary', id: 'download-bundle', onclick: (event: Event) => void download('json')(event) },
        'Download bundle (JSON)',
      ),
      h(
        'button',
        { type: 'button', class: 'secondary', id: 'download-pdf', onclick: (event: Event) => void download('pdf')(event) },
        'Download PDF',
      ),
    ),
    status,
  );
}

/**
 * The free text a user typed into an event (reasons, remarks, a correction), which the summary
 * leaves out; present only for roles that may read personal data, withheld values skipped.
 */
function typedText(personalData: SeizureTimeline['events'][number]['personalData']): string | null {
  const lines = Object.entries(personalData ?? {}).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '',
  );
  return lines.length === 0 ? null : lines.map(([field, text]) => `${field}: ${text}`).join(' · ');
}

function trail(events: readonly TrailEntry[], timeline: SeizureTimeline | null): HTMLElement {
  const summaries = new Map((timeline?.events ?? []).map((e) => [e.eventId, e.summary]));
  const typed = new Map((timeline?.events ?? []).map((e) => [e.eventId, typedText(e.personalData)]));
  return h(
    'ol',
    { class: 'trail' },
    events.map((e) =>
      h(
        'li',
        { class: e.type === 'DiscrepancyRecorded' ? 'trail-entry troubled' : 'trail-entry' },
        h(
          'p',
          null,
          h('strong', null, `#${e.revision} ${EVENT_LABELS[e.type as keyof typeof EVENT_LABELS] ?? e.type}`),
          ` — ${dateTime(metadataOf(e).occurredAt)}, by ${metadataOf(e).actor.name} (${metadataOf(e).actor.unit})`,
        ),
        summaries.has(e.eventId) ? h('p', null, summaries.get(e.eventId)) : null,
        typed.get(e.eventId) ? h('p', { class: 'typed-text' }, typed.get(e.eventId)) : null,
        h(
          'p',
          { class: 'hash-line' },
          'hash ',
          shortHash(e.hash),
          ' ← previous ',
          shortHash(e.prevHash),
          ` · position ${e.globalPosition}`,
        ),
        h(
          'details',
          null,
          h('summary', null, e.redacted ? 'Raw event (personal data withheld; the hash covers the full original)' : 'Raw event'),
          h(
            'pre',
            { class: 'raw' },
            JSON.stringify(
              {
                eventId: e.eventId,
                type: e.type,
                revision: e.revision,
                data: e.data,
                metadata: e.metadata,
                prevHash: e.prevHash,
                hash: e.hash,
              },
              null,
              2,
            ),
          ),
        ),
      ),
    ),
  );
}

export const seizurePage = (): Page => {
  let liveRefresh: (() => void) | undefined;
  let seizureId = '';
  return {
    title: 'Seizure',
    async render(main, context) {
      seizureId = (context.params.seizureId ?? '').toLowerCase();
      const body = h('div');
      const load = async (): Promise<void> => {
        const [view, history, timeline, events] = await Promise.all([
          context.api.get<SeizureView>(`/seizures/${seizureId}`),
          context.api.query<SeizureCustodyHistory>(`/seizures/${seizureId}/custody-history`).catch((error: unknown) => error as Error),
          context.api.query<SeizureTimeline>(`/seizures/${seizureId}/timeline`).catch(() => null),
          context.api.get<{ events: TrailEntry[] }>(`/seizures/${seizureId}/events`),
        ]);
        const actor = context.session?.actor;
        const status = statusOf(view.items);
        // The page now shows everything up to here: an offer to show changes would be stale.
        bar.hidden = true;
        // After one's own command: show the seizure as it now is, and put focus back at its top.
        const afterCommand = (): void => void load().then(() => body.querySelector<HTMLElement>('h1')?.focus());
        const actions = actor ? seizureActions(view, events.events, actor, context, afterCommand) : null;
        replace(
          body,
          heading(
            'Seizure ',
            view.memoNumber,
            ' ',
            badge(`${STATUS_LABELS[status].en} · ${STATUS_LABELS[status].hi}`, status === 'in_transfer' ? 'warn' : 'neutral'),
          ),
          h('p', null, h('a', { href: '#/seizures' }, '← All seizures')),
          particulars(view),
          section(bilingual('Items', 'वस्तुएँ'), itemsTable(view)),
          casesSection(view),
          transfersForMe(view, context, afterCommand),
          actions ? section(bilingual('Actions', 'कार्रवाई'), actions) : null,
          section(
            bilingual('Custody timeline', 'अभिरक्षा समयरेखा'),
            history instanceof Error ? problemBox(history) : history.items.map((item) => itemTimeline(item)),
          ),
          attachmentsSection(events.events),
          evidenceSection(view, context),
          section(
            bilingual('Event trail', 'घटना क्रम'),
            h('p', null, 'Every event exactly as stored, each chained to the one before by its SHA-256 hash.'),
            trail(events.events, timeline),
          ),
        );
        document.title = `Seizure ${view.memoNumber} — Seizure Custody Ledger`;
      };
      const refresh = debounce(
        () => void load().catch((error: unknown) => context.notify(`Could not refresh: ${(error as Error).message}`)),
        400,
      );
      const bar = updateBar('This seizure has changed since you opened it.', refresh);
      liveRefresh = () => refreshOrOffer(body, bar, refresh);
      main.replaceChildren(bar, body);
      await load();
    },
    onLiveEvent(event, context) {
      // One's own commands refresh the page when they succeed.
      if (event.seizureId === seizureId && event.actorSub !== context.session?.actor.sub) liveRefresh?.();
    },
  };
};

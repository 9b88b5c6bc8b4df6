import type { Actor } from '../../shared/actor';
import type { JsonValue } from '../../shared/json';
import type { RecordedEvent } from '../../ledger/event-store';
import { schemaVersionOf, type LoadedSeizure } from '../handle-command';
import type { SeizureRecorded } from '../events';
import type { RecordedSeizure } from '../state';
import { shownTo, withholdPersonalData, type Redacted } from '../personal-data';
import { retentionClockStartsAt } from '../cases';
import { olderRulesMarkOf, upcastSeizureEvent, type OlderRulesMark } from '../upcasters';

export { mayReadPersonalData } from '../personal-data';

export interface SeizureView {
  seizureId: string;
  revision: number;
  memoNumber: string;
  seizedAt: string;
  location: RecordedSeizure['location'];
  agency: string;
  team: string;
  seizingOfficer: SeizureRecorded['data']['seizingOfficer'];
  magistrate: SeizureRecorded['data']['magistrate'];
  seizedFrom: SeizureRecorded['data']['seizedFrom'] | Redacted;
  vehicleNumber: string | null;
  witnesses: SeizureRecorded['data']['witnesses'] | Redacted;
  media: SeizureRecorded['data']['media'];
  election: RecordedSeizure['election'];
  linkedToCandidateOrParty: boolean;
  items: Array<RecordedSeizure['items'][string]>;
  transfers: Array<RecordedSeizure['transfers'][string]>;
  deposits: Array<RecordedSeizure['deposits'][string]>;
  incomeTax: RecordedSeizure['incomeTax'];
  fir: RecordedSeizure['fir'];
  releaseOrders: Array<
    Omit<RecordedSeizure['releaseOrders'][string], 'releaseTo'> & {
      releaseTo: RecordedSeizure['releaseOrders'][string]['releaseTo'] | Redacted;
    }
  >;
  /** The proceedings on the seizure (FIR, court, Income Tax, release disputes), each with the events that opened and closed it. */
  cases: RecordedSeizure['cases'];
  /** When the last open case closed; null while any is open, or if none ever opened. */
  allCasesClosedSince: string | null;
  /** When the retention period of the personal data starts; null while it is still needed (a case open, an item held). */
  retentionClockStartsAt: string | null;
  totals: { cashPaise: number; valuePaise: number };
  /** The events of this seizure stored under older rules, and what reading them changed; empty for most seizures. */
  recordedUnderOlderRules: LegacyEventMark[];
}

/** One event stored under older rules, named so the raw trail can show it. */
export interface LegacyEventMark extends OlderRulesMark {
  eventId: string;
  type: string;
  revision: number;
}

function legacyMarks(events: readonly RecordedEvent[]): LegacyEventMark[] {
  return events.flatMap((e) => {
    const mark = olderRulesMarkOf(e);
    return mark === null ? [] : [{ eventId: e.id, type: e.type, revision: e.revision, ...mark }];
  });
}

/** The current state of one seizure, as its API shows it. */
export function toSeizureView(loaded: LoadedSeizure & { state: RecordedSeizure; revision: number }, actor: Actor): SeizureView {
  const { state } = loaded;
  // Read in the current shape: a record stored under older rules may lack what the view shows.
  const first = loaded.events[0];
  const recorded = upcastSeizureEvent(first.type, first.data, schemaVersionOf(first)).data as SeizureRecorded['data'];
  const items = Object.values(state.items);
  return {
    seizureId: state.seizureId,
    revision: loaded.revision,
    memoNumber: state.memoNumber,
    seizedAt: recorded.seizedAt,
    location: state.location,
    agency: recorded.agency,
    team: recorded.team,
    seizingOfficer: recorded.seizingOfficer,
    magistrate: recorded.magistrate,
    seizedFrom: shownTo(actor, 'SeizureRecorded', 'seizedFrom', recorded.seizedFrom),
    vehicleNumber: recorded.vehicleNumber,
    witnesses: shownTo(actor, 'SeizureRecorded', 'witnesses', recorded.witnesses),
    media: recorded.media,
    election: state.election,
    linkedToCandidateOrParty: recorded.linkedToCandidateOrParty,
    items,
    transfers: Object.values(state.transfers),
    deposits: Object.values(state.deposits),
    incomeTax: state.incomeTax,
    fir: state.fir,
    releaseOrders: Object.values(state.releaseOrders).map((o) => ({
      ...o,
      releaseTo: shownTo(actor, 'ReleaseOrdered', 'releaseTo', o.releaseTo),
    })),
    cases: state.cases,
    allCasesClosedSince: state.allCasesClosedSince,
    retentionClockStartsAt: retentionClockStartsAt(state),
    totals: {
      cashPaise: items.filter((i) => i.category === 'cash').reduce((sum, i) => sum + i.quantity, 0),
      valuePaise: items.reduce((sum, i) => sum + i.valuePaise, 0),
    },
    recordedUnderOlderRules: legacyMarks(loaded.events),
  };
}

export interface TrailEntry {
  eventId: string;
  type: string;
  revision: number;
  globalPosition: number;
  recordedAt: string;
  data: JsonValue;
  metadata: RecordedEvent['metadata'];
  prevHash: string;
  hash: string;
  /** True when personal data was withheld from `data`: the hash then covers the full original. */
  redacted: boolean;
  /**
   * Set when the event was stored under older rules: `data` is shown as stored (the hash covers
   * it), and this says what reading it in today's shape changed. Findings name fields, not values.
   */
  recordedUnderOlderRules: OlderRulesMark | null;
}

/** The raw event trail with the chain hashes, personal data withheld where the role requires. */
export function toTrail(events: RecordedEvent[], actor: Actor): TrailEntry[] {
  return events.map((e) => {
    const { data, redacted } = withholdPersonalData(e.type, e.data, actor);
    return {
      eventId: e.id,
      type: e.type,
      revision: e.revision,
      globalPosition: e.globalPosition,
      recordedAt: e.recordedAt,
      data,
      metadata: e.metadata,
      prevHash: e.prevHash,
      hash: e.hash,
      redacted,
      recordedUnderOlderRules: olderRulesMarkOf(e),
    };
  });
}

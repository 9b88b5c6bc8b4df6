import fc from 'fast-check';
import type { Custodian } from '../../src/custody/values';
import type { RecordedSeizure, SeizureState } from '../../src/custody/state';
import { INCOME_TAX_THRESHOLD_PAISE } from '../../src/custody/rules';
import type { SeizureCommand } from '../../src/custody/command';
import type { Actor } from '../../src/shared/actor';
import { addIndianDays, indianDayOf } from '../../src/shared/indian-day';
import { CASH, LIQUOR, SEIZURE_ID, actors, custodians, recordSeizureCommand } from '../support/custody-fixtures';

/** Two seizures per sequence, so read models and the Merkle log interleave streams. */
export const SEIZURE_IDS = [SEIZURE_ID, '0f6c3a52-7d1e-4b8a-9c2d-5e4f3a2b1c0d'] as const;

/**
 * Random sequences of valid and near-valid seizure commands, as plain choices that are turned into
 * a command only against the state the seizure is in at that step (so most steps are meaningful,
 * and a failing sequence shrinks to a short one). Near-valid: the wrong custodian, a wrong role,
 * an actor out of scope, invalid amounts, unknown items, dates tomorrow in India; text is odd but
 * valid Unicode (Devanagari, emoji, combining marks, RTL script).
 */

export const COMMAND_KINDS = [
  'RecordSeizure',
  'ValueItems',
  'InitiateCustodyTransfer',
  'AcceptCustodyTransfer',
  'RejectCustodyTransfer',
  'DepositCash',
  'ConfirmDeposit',
  'ReferToIncomeTax',
  'ClearIncomeTax',
  'RegisterFir',
  'OrderRelease',
  'ReleaseItems',
  'DisposeItems',
  'AddAttachment',
  'RecordCorrection',
  'CloseFir',
  'DisposeOfCourtProceedings',
  'CloseIncomeTaxProceedings',
  'RaiseReleaseDispute',
  'ResolveReleaseDispute',
] as const satisfies ReadonlyArray<SeizureCommand['type']>;
export type CommandKind = (typeof COMMAND_KINDS)[number];

export type ActorName = keyof typeof actors;
const ACTOR_NAMES = Object.keys(actors) as ActorName[];

/** Amounts as the rules see them: the one that fits, another valid one, and invalid ones. */
export type AmountChoice = 'exact' | 'other' | 'zero' | 'negative' | 'fraction' | 'huge';
/** Days in India relative to the clock: tomorrow must be refused wherever a date cannot be in the future. */
export type DayChoice = 'yesterday' | 'today' | 'tomorrow' | 'utc-day';

export interface Step {
  kind: CommandKind;
  /** The actor the rules expect for this step, or a fixture actor (often the wrong one). */
  actor: 'right' | ActorName;
  /** Which item, transfer, deposit, order or event, and which variant. */
  pick: number;
  amount: AmountChoice;
  day: DayChoice;
  text: string;
  minutesLater: number;
  /** Which of SEIZURE_IDS the step acts on. */
  seizure: 0 | 1;
}

/** Odd but valid Unicode, as officers in the field really type it, and a random grapheme string. */
export const textArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'रमेश चंद्र',
    'क्‍षेत्र', // ZWJ inside a Devanagari conjunct
    'श्री आर॰ के॰ मिश्रा',
    '👮🏽‍♀️ महिला कांस्टेबल',
    'Cafe\u0301 e\u0301 combining',
    '₹ 12,50,000 नकद 💰',
    'مرکزی اردو نام',
    'தமிழ் பெயர்',
    '\u{1F1EE}\u{1F1F3} भारत',
    'a',
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }),
);

/** Transfers and their answers come up more often: most custody histories are made of them. */
const kindArb: fc.Arbitrary<CommandKind> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...COMMAND_KINDS) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<CommandKind>(
      'InitiateCustodyTransfer',
      'AcceptCustodyTransfer',
      'RejectCustodyTransfer',
      'OrderRelease',
      'ReleaseItems',
      'DepositCash',
    ),
  },
);

export const stepArb: fc.Arbitrary<Step> = fc.record({
  kind: kindArb,
  actor: fc.oneof({ weight: 3, arbitrary: fc.constant('right' as const) }, { weight: 1, arbitrary: fc.constantFrom(...ACTOR_NAMES) }),
  pick: fc.nat({ max: 1_000 }),
  amount: fc.oneof(
    { weight: 6, arbitrary: fc.constant('exact' as const) },
    { weight: 1, arbitrary: fc.constantFrom('other' as const, 'zero' as const, 'negative' as const, 'fraction' as const, 'huge' as const) },
  ),
  day: fc.oneof(
    { weight: 4, arbitrary: fc.constant('today' as const) },
    { weight: 1, arbitrary: fc.constantFrom('yesterday' as const, 'tomorrow' as const, 'utc-day' as const) },
  ),
  text: textArb,
  minutesLater: fc.nat({ max: 240 }),
  seizure: fc.constantFrom(0 as const, 1 as const),
});

/** Clock starts around midnight in India (18:30 UTC), where "today" in IST and in UTC differ. */
export const clockStartArb = fc.constantFrom(
  '2024-04-20T18:25:00.000Z',
  '2024-04-20T18:31:00.000Z',
  '2024-04-20T06:00:00.000Z',
  '2024-04-21T00:00:00.000Z',
);

/** The first steps record both seizures, so most sequences act on recorded ones. */
export const planArb: fc.Arbitrary<Plan> = fc.record({
  clockStart: clockStartArb,
  records: fc.tuple(stepArb, stepArb).map(([a, b]): Step[] => [
    { ...a, kind: 'RecordSeizure', actor: 'right', seizure: 0 },
    { ...b, kind: 'RecordSeizure', actor: 'right', seizure: 1 },
  ]),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 36 }),
});
export type Plan = { clockStart: string; records: Step[]; steps: Step[] };

// ------------------------------------------------------------------------------------------

/** Destinations of transfers: units of the district, a person, an outside laboratory. */
const DESTINATIONS: readonly Custodian[] = [
  custodians.treasury,
  custodians.malkhana,
  custodians.flyingSquad,
  { kind: 'person', id: actors.police.sub, name: actors.police.name },
  { kind: 'laboratory', id: 'FSL-VNS', name: 'Forensic laboratory' },
];

function amountOf(choice: AmountChoice, exact: number): number {
  switch (choice) {
    case 'exact':
      return exact;
    case 'other':
      return exact + 100;
    case 'zero':
      return 0;
    case 'negative':
      return -100;
    case 'fraction':
      return exact + 0.5;
    case 'huge':
      return 2 ** 60;
  }
}

function dayOf(choice: DayChoice, now: string): string {
  const today = indianDayOf(now);
  if (choice === 'yesterday') return addIndianDays(today, -1);
  if (choice === 'tomorrow') return addIndianDays(today, 1);
  if (choice === 'utc-day') return now.slice(0, 10);
  return today;
}

/** A fixture actor standing for a custodian: the person, or a member of the unit. */
export function actorFor(custodian: Pick<Custodian, 'kind' | 'id'>, avoidSub?: string): Actor {
  const all = Object.values(actors) as Actor[];
  const members = custodian.kind === 'person' ? all.filter((a) => a.sub === custodian.id) : all.filter((a) => a.unit === custodian.id);
  const member = members.find((a) => a.sub !== avoidSub) ?? members[0];
  if (member) return member;
  return {
    sub: `u-${custodian.id}`,
    name: `Member of ${custodian.id}`,
    roles: ['custodian'],
    unit: custodian.id,
    agency: 'police',
    scope: { national: false, states: [], districts: ['UP-VNS'] },
  };
}

const at = <T>(values: readonly T[], pick: number): T => values[pick % values.length];

/** Items to act on: one or two of the same holder, or (rarely) an item the seizure does not have. */
function chooseItems(state: RecordedSeizure, pick: number, filter: (id: string) => boolean = () => true): string[] {
  if (pick % 13 === 0) return ['item-that-was-never-seized'];
  const ids = Object.keys(state.items).filter(filter);
  if (ids.length === 0) return [at(Object.keys(state.items), pick)];
  const first = at(ids, pick);
  const holder = state.items[first].custodian;
  const second = ids.find(
    (id) => id !== first && state.items[id].custodian.id === holder.id && state.items[id].custodian.kind === holder.kind,
  );
  return second !== undefined && pick % 3 === 0 ? [first, second] : [first];
}

/** Mostly one that the command can act on (an open transfer, a pending deposit), sometimes any, or none when there is none. */
function preferred<T>(values: readonly T[], actionable: (value: T) => boolean, pick: number): T | undefined {
  const candidates = values.filter(actionable);
  if (candidates.length > 0 && pick % 5 !== 0) return at(candidates, pick);
  return values.length > 0 ? at(values, pick) : undefined;
}

const held = (state: RecordedSeizure) => (id: string) => state.items[id].disposition === 'held';

export interface ConcreteCommand {
  command: SeizureCommand;
  actor: Actor;
}

/** The command a step stands for, given the seizure's state and the time. */
export function commandFor(step: Step, state: SeizureState, now: string): ConcreteCommand {
  const chosen = (right: Actor): Actor => (step.actor === 'right' ? right : actors[step.actor]);
  const day = dayOf(step.day, now);
  if (step.kind === 'RecordSeizure' || state.status !== 'recorded') return recordCommand(step, now, chosen(actors.flyingSquad));
  const s = state;
  const prerequisite = missingPrerequisite(step.kind, s);
  // Mostly do first what the command needs, so later steps meet transfers, deposits and orders.
  if (prerequisite !== undefined && step.pick % 5 !== 0) return commandFor({ ...step, kind: prerequisite }, state, now);
  const transfers = Object.values(s.transfers);
  const deposits = Object.values(s.deposits);
  const orders = Object.values(s.releaseOrders);
  switch (step.kind) {
    case 'ValueItems': {
      const [itemId] = chooseItems(s, step.pick, (id) => s.items[id].category !== 'cash' || step.pick % 2 === 0);
      const item = s.items[itemId];
      const valuePaise = amountOf(step.amount, item?.category === 'cash' ? item.quantity : 7_000_000 + step.pick);
      return {
        command: { type: 'ValueItems', data: { valuations: [{ itemId, valuePaise }], basis: step.text, reason: 'revalued' } },
        actor: chosen(actorFor(item?.custodian ?? custodians.flyingSquad)),
      };
    }
    case 'InitiateCustodyTransfer': {
      const itemIds = chooseItems(s, step.pick, held(s));
      const holder = s.items[itemIds[0]]?.custodian ?? custodians.flyingSquad;
      // Rarely the holder itself (refused as a transfer to self); otherwise someone else.
      const others = DESTINATIONS.filter((d) => step.pick % 7 === 0 || d.kind !== holder.kind || d.id !== holder.id);
      const to = at(others, step.pick >> 2);
      const sealNumbers = itemIds.flatMap((id) => s.items[id]?.sealNumbers ?? []);
      const transferId = `00000000-0000-4000-8000-${String(step.pick).padStart(12, '0')}`;
      return {
        command: { type: 'InitiateCustodyTransfer', data: { transferId, itemIds, to, sealNumbers, reason: step.text } },
        actor: chosen(actorFor(holder)),
      };
    }
    case 'AcceptCustodyTransfer':
    case 'RejectCustodyTransfer': {
      const transfer = preferred(transfers, (t) => t.status === 'open', step.pick);
      const transferId = transfer?.transferId ?? '00000000-0000-4000-8000-00000000dead';
      const right = actorFor(transfer?.to ?? custodians.treasury);
      if (step.kind === 'RejectCustodyTransfer')
        return { command: { type: 'RejectCustodyTransfer', data: { transferId, reason: step.text } }, actor: chosen(right) };
      const conditions = ['intact', 'intact', 'intact', 'broken', 'missing'] as const;
      const seals = (transfer?.sealNumbers ?? []).map((number, i) => ({ number, condition: at(conditions, step.pick + i) }));
      const countedQuantities = (transfer?.itemIds ?? ['item-that-was-never-seized']).map((itemId) => ({
        itemId,
        quantity: amountOf(step.amount, s.items[itemId]?.quantity ?? 1),
      }));
      return {
        command: { type: 'AcceptCustodyTransfer', data: { transferId, seals, countedQuantities, remarks: step.text } },
        actor: chosen(right),
      };
    }
    case 'DepositCash': {
      const itemIds = chooseItems(s, step.pick, (id) => s.items[id].category === 'cash');
      const holder = s.items[itemIds[0]]?.custodian ?? custodians.treasury;
      const amountPaise = amountOf(
        step.amount,
        itemIds.reduce((sum, id) => sum + (s.items[id]?.quantity ?? 0), 0),
      );
      const data = {
        challanNumber: `CH-${step.pick}`,
        treasury: { id: holder.id, name: holder.name },
        itemIds,
        amountPaise,
        depositedOn: day,
      };
      return { command: { type: 'DepositCash', data }, actor: chosen(actorFor(holder)) };
    }
    case 'ConfirmDeposit': {
      const deposit = preferred(deposits, (d) => d.status === 'pending', step.pick);
      const right = actorFor(deposit?.treasury ?? custodians.treasury, deposit?.depositedBy);
      const data = {
        challanNumber: deposit?.challanNumber ?? 'CH-none',
        confirmedAmountPaise: amountOf(step.amount, deposit?.amountPaise ?? 1),
        remarks: step.text,
      };
      return { command: { type: 'ConfirmDeposit', data }, actor: chosen(right) };
    }
    case 'ReferToIncomeTax':
      return {
        command: { type: 'ReferToIncomeTax', data: { referenceNumber: `IT/${step.pick}`, office: step.text, remarks: '' } },
        actor: chosen(actors.committee),
      };
    case 'ClearIncomeTax':
      return {
        command: { type: 'ClearIncomeTax', data: { clearanceNumber: `CL/${step.pick}`, remarks: step.text } },
        actor: chosen(actors.incomeTax),
      };
    case 'RegisterFir':
      return {
        command: {
          type: 'RegisterFir',
          data: { firNumber: `${step.pick}/2024`, policeStation: step.text, registeredOn: day, sections: ['BNS 173'] },
        },
        actor: chosen(actors.police),
      };
    case 'OrderRelease': {
      const itemIds = chooseItems(s, step.pick, held(s));
      const releaseTo = { name: step.text, idDocument: step.pick % 4 === 0 ? null : { type: 'voter-id', number: `ABC${step.pick}` } };
      const data = {
        orderNumber: `ORD-${step.pick}`,
        orderedOn: day,
        itemIds,
        releaseTo,
        reasons: 'No link with any candidate was found on inquiry.',
      };
      return { command: { type: 'OrderRelease', data }, actor: chosen(s.fir ? actors.court : actors.committee) };
    }
    case 'ReleaseItems': {
      const order = preferred(orders, (o) => o.itemIds.some((id) => s.items[id].disposition === 'held'), step.pick);
      const itemIds = order ? chooseItems(s, step.pick, (id) => order.itemIds.includes(id)) : chooseItems(s, step.pick);
      const holder = s.items[itemIds[0]]?.custodian ?? custodians.flyingSquad;
      // Mostly the person the order names; sometimes someone else.
      const named = order?.releaseTo.name ?? step.text;
      const releasedTo = {
        name: step.pick % 5 === 0 ? `${named} (भाई)` : named,
        idDocument: order?.releaseTo.idDocument ?? { type: 'voter-id', number: 'XYZ0000001' },
      };
      const data = {
        orderNumber: order?.orderNumber ?? 'ORD-none',
        itemIds,
        releasedTo,
        identityChecked: step.pick % 17 !== 0,
        remarks: step.text,
      };
      return { command: { type: 'ReleaseItems', data }, actor: chosen(actorFor(holder)) };
    }
    case 'DisposeItems': {
      const itemIds = chooseItems(s, step.pick, held(s));
      const method = at(['destroyed', 'confiscated', 'auctioned'] as const, step.pick);
      return {
        command: { type: 'DisposeItems', data: { orderNumber: `CJM-${step.pick}`, orderedOn: day, method, itemIds, remarks: step.text } },
        actor: chosen(actors.court),
      };
    }
    case 'AddAttachment': {
      const data = {
        sha256: (step.pick % 16).toString(16).repeat(64),
        sizeBytes: 1 + step.pick,
        mediaType: 'image/jpeg',
        fileName: `${step.text}.jpg`,
        description: step.text,
      };
      return { command: { type: 'AddAttachment', data }, actor: chosen(actors.flyingSquad) };
    }
    case 'CloseFir':
    case 'DisposeOfCourtProceedings':
    case 'CloseIncomeTaxProceedings':
    case 'RaiseReleaseDispute':
    case 'ResolveReleaseDispute':
      return caseCommandFor(step, s, day, chosen);
    case 'RecordCorrection': {
      const eventIds = Object.keys(s.events);
      const correctsEventId = step.pick % 11 === 0 ? '00000000-0000-7000-8000-000000000000' : at(eventIds, step.pick);
      const author = Object.values(actors).find((a) => a.sub === s.events[correctsEventId]?.actorSub) ?? actors.admin;
      return {
        command: {
          type: 'RecordCorrection',
          data: { correctsEventId, whatWasWrong: step.text, correction: step.text, reason: 'clerical error' },
        },
        actor: chosen(author),
      };
    }
  }
}

/** Commands that close the cases on a seizure, mostly by the role that records each, sometimes twice or with nothing open. */
function caseCommandFor(step: Step, s: RecordedSeizure, day: string, chosen: (right: Actor) => Actor): ConcreteCommand {
  const disputes = s.cases.filter((c) => c.kind === 'release_dispute');
  const disputeId =
    preferred(disputes, (c) => c.closed === null, step.pick)?.reference ?? `00000000-0000-4000-9000-${String(step.pick).padStart(12, '0')}`;
  switch (step.kind) {
    case 'CloseFir':
      return {
        command: {
          type: 'CloseFir',
          data: {
            how: at(['closure_report_accepted', 'trial_ended'] as const, step.pick),
            closedOn: day,
            court: step.text,
            reference: `CJM/${step.pick}`,
            remarks: step.text,
          },
        },
        actor: chosen(actors.police),
      };
    case 'DisposeOfCourtProceedings':
      return {
        command: {
          type: 'DisposeOfCourtProceedings',
          data: { disposedOn: day, court: step.text, caseNumber: `CC ${step.pick}/2024`, remarks: step.text },
        },
        actor: chosen(actors.court),
      };
    case 'CloseIncomeTaxProceedings':
      return {
        command: { type: 'CloseIncomeTaxProceedings', data: { closedOn: day, orderNumber: `ITO/${step.pick}`, remarks: step.text } },
        actor: chosen(actors.incomeTax),
      };
    case 'RaiseReleaseDispute':
      return {
        command: {
          type: 'RaiseReleaseDispute',
          data: {
            disputeId: `00000000-0000-4000-9000-${String(step.pick).padStart(12, '0')}`,
            raisedOn: day,
            itemIds: chooseItems(s, step.pick),
            grounds: step.text,
          },
        },
        actor: chosen(actors.committee),
      };
    default:
      return {
        command: {
          type: 'ResolveReleaseDispute',
          data: {
            disputeId,
            resolvedOn: day,
            outcome: at(['upheld', 'dismissed', 'withdrawn'] as const, step.pick),
            reference: `DGC/${step.pick}`,
            remarks: step.text,
          },
        },
        actor: chosen(actors.committee),
      };
  }
}

/** The command that must come first when this one has nothing to act on. */
function missingPrerequisite(kind: CommandKind, s: RecordedSeizure): CommandKind | undefined {
  const values = <T>(record: Record<string, T>) => Object.values(record);
  switch (kind) {
    case 'AcceptCustodyTransfer':
    case 'RejectCustodyTransfer':
      return values(s.transfers).some((t) => t.status === 'open') ? undefined : 'InitiateCustodyTransfer';
    case 'ConfirmDeposit':
      return values(s.deposits).some((d) => d.status === 'pending') ? undefined : 'DepositCash';
    case 'ClearIncomeTax':
      return s.incomeTax.referenceNumber ? undefined : 'ReferToIncomeTax';
    case 'ReleaseItems':
      return values(s.releaseOrders).length > 0 ? undefined : 'OrderRelease';
    case 'CloseFir':
    case 'DisposeOfCourtProceedings':
      return s.fir ? undefined : 'RegisterFir';
    case 'CloseIncomeTaxProceedings':
      return s.incomeTax.referenceNumber ? undefined : 'ReferToIncomeTax';
    case 'ResolveReleaseDispute':
      return s.cases.some((c) => c.kind === 'release_dispute') ? undefined : 'RaiseReleaseDispute';
    default:
      return undefined;
  }
}

/** A seizure of cash (above or below the Income Tax threshold), liquor and sometimes drugs. */
function recordCommand(step: Step, now: string, actor: Actor): ConcreteCommand {
  const base = recordSeizureCommand({ seizureId: SEIZURE_IDS[step.seizure], memoNumber: `FS3/VNS/2024/${step.seizure}` }).data;
  const cash = step.pick % 2 === 0 ? INCOME_TAX_THRESHOLD_PAISE + 25_000_000 : 40_000_000;
  const items = [
    {
      ...base.items[0],
      itemId: CASH,
      quantity: amountOf(step.amount, cash),
      estimatedValuePaise: amountOf(step.amount, cash),
      description: step.text,
    },
    { ...base.items[1], itemId: LIQUOR },
    ...(step.pick % 3 === 0
      ? [
          {
            itemId: 'item-drugs',
            category: 'drugs' as const,
            description: `${step.text} ganja`,
            quantity: 2_000_000,
            unit: 'mg' as const,
            packages: 1,
            sealNumbers: ['S-2001'],
            estimatedValuePaise: 3_000_000,
          },
        ]
      : []),
  ];
  const seizedAt =
    step.day === 'tomorrow' ? new Date(Date.parse(now) + 60_000).toISOString() : new Date(Date.parse(now) - 3_600_000).toISOString();
  const witnesses =
    step.pick % 7 === 0 ? base.witnesses.slice(0, 1) : base.witnesses.map((w, i) => (i === 0 ? { ...w, name: step.text } : w));
  const data = {
    ...base,
    seizedAt,
    team: step.text,
    seizedFrom: { ...base.seizedFrom, name: step.text },
    location: { ...base.location, place: step.text },
    witnesses,
    items,
  };
  return { command: { type: 'RecordSeizure', data }, actor };
}

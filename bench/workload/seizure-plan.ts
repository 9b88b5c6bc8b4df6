import type { Actor } from '../../src/shared/actor';
import type { Category, Custodian, SealCheck, SeizedItem } from '../../src/custody/values';
import { INCOME_TAX_THRESHOLD_PAISE } from '../../src/custody/rules';
import type { SeizureCommand } from '../../src/custody/command';
import type { RecordSeizure } from '../../src/custody/commands/record-seizure';
import { actorFor, districtActors, seizingOfficer } from './actors';
import { AGENCY_BY_CATEGORY, itemCategories, seizedItem } from './category-mix';
import { DISTRICTS, MCC_START, PLACES, electionFor, officesOf, teamCount, teamOf, type District } from './geography';
import { personName, personSeizedFrom, vehicleNumber, witnesses } from './people';
import { LANES, Random } from './random';
import { indianDayOf } from '../../src/shared/indian-day';

/**
 * One seizure's life as commands: recorded, valued, handed over to the treasury, malkhana or
 * excise warehouse (and accepted, now and then with a broken seal or a short count), cash
 * deposited and confirmed, referred to Income Tax above Rs 10 lakh, an FIR where the law needs
 * one, then released on an order or disposed of. A seizure produces 6 to 10 events: one that would
 * produce more is cut off where it would pass 10 (still in custody when the period ends), one
 * that would produce fewer gets the valuation committee's final valuation.
 */

export const MIN_EVENTS_PER_SEIZURE = 6;
export const MAX_EVENTS_PER_SEIZURE = 10;

/** A command with who gives it and when, and how many events decide must answer with. */
export interface TimedCommand {
  command: SeizureCommand;
  actor: Actor;
  now: string;
  expectedEvents: number;
}

export interface SeizurePlan {
  index: number;
  seizureId: string;
  district: District;
  officer: Actor;
  record: RecordSeizure;
  /** The record first, then the rest of the seizure's life, in order. */
  commands: TimedCommand[];
}

interface Step {
  actor: Actor;
  expectedEvents: number;
  /** Minutes since the previous step: drawn between these bounds. */
  gapMinutes: readonly [number, number];
  build: (now: string) => SeizureCommand;
}

const HOUR = 60;
const DAY = 24 * HOUR;
/** Officers date challans, FIRs and orders with the Indian day. */
const day = (iso: string) => indianDayOf(iso);

function destinationOf(category: Category, district: District): Custodian {
  const offices = officesOf(district);
  if (category === 'cash' || category === 'precious_metals') return offices.treasury;
  if (category === 'liquor') return offices.exciseWarehouse;
  return offices.malkhana;
}

/** The record command: everything the seizing officer writes on the memo at the spot. */
function draftRecord(random: Random, district: District): { record: RecordSeizure; officer: Actor; seizedAtMs: number } {
  const seizureId = random.uuid();
  const categories = itemCategories(random);
  const agency = random.weighted(AGENCY_BY_CATEGORY[categories[0]]);
  const team = teamOf(district, agency, random.int(1, teamCount(agency)));
  const officer = seizingOfficer(district, team, random.int(1, 3));
  const short = district.code.slice(district.code.indexOf('-') + 1);
  const items: SeizedItem[] = categories.map((category, i) =>
    seizedItem(random, category, `item-${i + 1}`, `S-${short}-${random.int(100_000, 999_999)}`),
  );
  // Seizures run from the Model Code of Conduct to the end of the district's poll day.
  const from = Date.parse(MCC_START);
  const to = Date.parse(`${district.pollDate}T18:29:00.000Z`);
  const seizedAtMs = from + Math.floor((random.float() * (to - from)) / 60_000) * 60_000;
  const jitter = () => Math.round((random.float() - 0.5) * 2000) / 10_000;
  const record: RecordSeizure = {
    type: 'RecordSeizure',
    data: {
      seizureId,
      memoNumber: `${team.unit}/2024/${random.int(1, 9999)}`,
      seizedAt: new Date(seizedAtMs).toISOString(),
      location: {
        state: district.state,
        district: district.code,
        assemblyConstituency: district.assemblyConstituency,
        parliamentaryConstituency: district.parliamentaryConstituency,
        latitude: Number((district.latitude + jitter()).toFixed(4)),
        longitude: Number((district.longitude + jitter()).toFixed(4)),
        place: random.pick(PLACES),
      },
      team: team.name,
      magistrate: agency === 'flying_squad' ? { name: personName(random), designation: 'Executive Magistrate' } : null,
      seizedFrom: personSeizedFrom(random, district),
      vehicleNumber: random.chance(0.6) ? vehicleNumber(random, district) : null,
      witnesses: witnesses(random, district),
      media: Array.from({ length: random.int(1, 3) }, () => ({
        kind: random.chance(0.8) ? ('photo' as const) : ('video' as const),
        sha256: random.hex(32),
      })),
      election: electionFor(district),
      linkedToCandidateOrParty: random.chance(0.08),
      items,
    },
  };
  return { record, officer, seizedAtMs };
}

export function planSeizure(seed: number, index: number): SeizurePlan {
  const random = new Random(seed, index, LANES.plan);
  const district = random.pick(DISTRICTS);
  const { record, officer, seizedAtMs } = draftRecord(random, district);
  const d = record.data;
  const short = district.code.slice(district.code.indexOf('-') + 1);
  const offices = officesOf(district);
  const people = districtActors(district);
  const items = d.items;
  const nonCash = items.filter((i) => i.category !== 'cash');
  const cash = items.filter((i) => i.category === 'cash');
  const cashTotal = cash.reduce((sum, i) => sum + i.quantity, 0);
  const incomeTaxCase = cashTotal > INCOME_TAX_THRESHOLD_PAISE;
  const incomeTaxClears = random.chance(0.8);
  const firDraw = random.float();
  const hasFir =
    d.linkedToCandidateOrParty ||
    items.some((i) => i.category === 'drugs') ||
    (items.some((i) => i.category === 'liquor') && firDraw < 0.6) ||
    firDraw < 0.15;

  const before: Step[] = [];
  if (incomeTaxCase) {
    const referenceNumber = `IT/${short}/2024/${random.int(1, 9999)}`;
    before.push({
      actor: people.committee,
      expectedEvents: 1,
      gapMinutes: [HOUR, DAY],
      build: () => ({
        type: 'ReferToIncomeTax',
        data: { referenceNumber, office: `Income Tax nodal officer, ${district.name}`, remarks: 'cash above Rs 10 lakh in one seizure' },
      }),
    });
  }
  // Only whoever holds an item values it: the seizing officer at first, each custodian later.
  const valuation = (actor: Actor, valued: SeizedItem[], basis: string, reason: string): Step => {
    const valuations = valued.map((i) => ({
      itemId: i.itemId,
      valuePaise: Math.max(1, Math.round(i.estimatedValuePaise * (0.85 + 0.3 * random.float()))),
    }));
    return {
      actor,
      expectedEvents: 1,
      gapMinutes: [HOUR, DAY],
      build: () => ({ type: 'ValueItems', data: { valuations, basis, reason } }),
    };
  };
  if (nonCash.length > 0)
    before.push(
      valuation(
        officer,
        nonCash,
        random.pick(['district rate list', 'bullion rate of the day', 'MRP on the packages', 'NCB valuation table']),
        'valued at the time of seizure',
      ),
    );

  // One handover per storage place, from the seizing team.
  const groups = new Map<string, { to: Custodian; items: SeizedItem[] }>();
  for (const item of items) {
    const to = destinationOf(item.category, district);
    const group = groups.get(to.id) ?? { to, items: [] };
    group.items.push(item);
    groups.set(to.id, group);
  }
  for (const { to, items: moved } of groups.values()) {
    const itemIds = moved.map((i) => i.itemId);
    const sealNumbers = moved.flatMap((i) => i.sealNumbers);
    const receiver = actorFor(to, district);
    const initiate = (transferId: string): Step => ({
      actor: officer,
      expectedEvents: 1,
      gapMinutes: [30, 12 * HOUR],
      build: () => ({
        type: 'InitiateCustodyTransfer',
        data: { transferId, itemIds, to, sealNumbers, reason: `deposit in the ${to.name} pending orders` },
      }),
    });
    let transferId = random.uuid();
    before.push(initiate(transferId));
    if (random.chance(0.03)) {
      const rejected = transferId;
      before.push({
        actor: receiver,
        expectedEvents: 1,
        gapMinutes: [HOUR, 12 * HOUR],
        build: () => ({ type: 'RejectCustodyTransfer', data: { transferId: rejected, reason: 'seal numbers do not match the memo' } }),
      });
      transferId = random.uuid();
      before.push(initiate(transferId));
    }
    const sealDraw = random.float();
    const faultySeal = sealNumbers.length > 0 && sealDraw < 0.03 ? random.pick(sealNumbers) : null;
    const seals: SealCheck[] = sealNumbers.map((number) => ({
      number,
      condition: number === faultySeal ? (sealDraw < 0.02 ? 'broken' : 'missing') : 'intact',
    }));
    const shortItem = random.chance(0.03) ? random.pick(moved) : null;
    const countedQuantities = moved.map((i) => ({
      itemId: i.itemId,
      quantity: i === shortItem ? Math.max(0, i.quantity - (i.category === 'cash' ? 50_000 : 1)) : i.quantity,
    }));
    const accepted = transferId;
    before.push({
      actor: receiver,
      expectedEvents: 1 + (faultySeal ? 1 : 0) + (shortItem ? 1 : 0),
      gapMinutes: [30, DAY],
      build: () => ({
        type: 'AcceptCustodyTransfer',
        data: {
          transferId: accepted,
          seals,
          countedQuantities,
          remarks: faultySeal || shortItem ? 'received with remarks' : 'received intact',
        },
      }),
    });
  }

  if (cash.length > 0) {
    const challanNumber = `CH-${short}-${random.int(100_000, 999_999)}`;
    const depositShort = random.chance(0.01) && cashTotal > 50_000;
    const amountPaise = depositShort ? cashTotal - 50_000 : cashTotal;
    const confirmDiffers = random.chance(0.01);
    before.push({
      actor: people.treasuryOfficer,
      expectedEvents: depositShort ? 2 : 1,
      gapMinutes: [2 * HOUR, 3 * DAY],
      build: (now) => ({
        type: 'DepositCash',
        data: {
          challanNumber,
          treasury: { id: offices.treasury.id, name: offices.treasury.name },
          itemIds: cash.map((i) => i.itemId),
          amountPaise,
          depositedOn: day(now),
        },
      }),
    });
    before.push({
      actor: people.treasuryAccountant,
      expectedEvents: confirmDiffers ? 2 : 1,
      gapMinutes: [DAY, 4 * DAY],
      build: () => ({
        type: 'ConfirmDeposit',
        data: {
          challanNumber,
          confirmedAmountPaise: confirmDiffers ? amountPaise - 10_000 : amountPaise,
          remarks: 'credited to the suspense account',
        },
      }),
    });
  }
  if (incomeTaxCase && incomeTaxClears) {
    const clearanceNumber = `ITC/${short}/2024/${random.int(1, 9999)}`;
    before.push({
      actor: people.incomeTaxOfficer,
      expectedEvents: 1,
      gapMinutes: [2 * DAY, 10 * DAY],
      build: () => ({ type: 'ClearIncomeTax', data: { clearanceNumber, remarks: 'source of the cash explained' } }),
    });
  }
  if (hasFir) {
    const firNumber = `${random.int(1, 999)}/2024`;
    const sections = items.some((i) => i.category === 'drugs')
      ? ['NDPS Act s. 8', 'NDPS Act s. 20']
      : items.some((i) => i.category === 'liquor')
        ? ['Excise Act s. 60']
        : ['IPC s. 171-B', 'IPC s. 171-E'];
    before.push({
      actor: people.stationHouseOfficer,
      expectedEvents: 1,
      gapMinutes: [HOUR, 3 * DAY],
      build: (now) => ({
        type: 'RegisterFir',
        data: { firNumber, policeStation: `Kotwali, ${district.name}`, registeredOn: day(now), sections },
      }),
    });
  }

  // Released on an order (cash without a link to a candidate and cleared where needed, most
  // metals, some goods); everything else disposed of on a court's order.
  const releasable = (item: SeizedItem, draw: number): boolean => {
    if (item.category === 'cash') return !d.linkedToCandidateOrParty && (!incomeTaxCase || incomeTaxClears);
    if (item.category === 'precious_metals') return draw < 0.7;
    if (item.category === 'freebies' || item.category === 'other') return draw < 0.4;
    return false;
  };
  const draws = items.map(() => random.float());
  const released = items.filter((item, i) => releasable(item, draws[i]));
  const disposed = items.filter((item) => !released.includes(item));
  const after: Step[] = [];
  if (released.length > 0) {
    const authority = hasFir ? people.court : people.committee;
    const orderNumber = `${hasFir ? 'CJM' : 'DGC'}/${short}/2024/${random.int(1, 9999)}`;
    const identity = d.seizedFrom.idDocument ?? { type: 'voter-id', number: `REL${random.int(1_000_000, 9_999_999)}` };
    const releaseTo = { name: d.seizedFrom.name, idDocument: identity };
    after.push({
      actor: authority,
      expectedEvents: 1,
      gapMinutes: [5 * DAY, 30 * DAY],
      build: (now) => ({
        type: 'OrderRelease',
        data: {
          orderNumber,
          orderedOn: day(now),
          itemIds: released.map((i) => i.itemId),
          releaseTo,
          reasons: 'No link with any candidate or party was found; the owner produced the records of the money and goods.',
        },
      }),
    });
    const byHolder = new Map<string, SeizedItem[]>();
    for (const item of released)
      byHolder.set(destinationOf(item.category, district).id, [...(byHolder.get(destinationOf(item.category, district).id) ?? []), item]);
    for (const held of byHolder.values()) {
      after.push({
        actor: actorFor(destinationOf(held[0].category, district), district),
        expectedEvents: 1,
        gapMinutes: [DAY, 7 * DAY],
        build: () => ({
          type: 'ReleaseItems',
          data: {
            orderNumber,
            itemIds: held.map((i) => i.itemId),
            releasedTo: releaseTo,
            identityChecked: true,
            remarks: 'handed over against a receipt',
          },
        }),
      });
    }
  }
  const byCategory = new Map<Category, SeizedItem[]>();
  for (const item of disposed) byCategory.set(item.category, [...(byCategory.get(item.category) ?? []), item]);
  for (const [category, lot] of byCategory) {
    const orderNumber = `CJM/${short}/2024/${random.int(1, 9999)}`;
    const method =
      category === 'drugs' || category === 'liquor'
        ? 'destroyed'
        : category === 'cash' || category === 'precious_metals'
          ? 'confiscated'
          : random.pick(['confiscated', 'auctioned'] as const);
    after.push({
      actor: people.court,
      expectedEvents: 1,
      gapMinutes: [5 * DAY, 30 * DAY],
      build: (now) => ({
        type: 'DisposeItems',
        data: {
          orderNumber,
          orderedOn: day(now),
          method,
          itemIds: lot.map((i) => i.itemId),
          remarks: `${method} under the order of the court`,
        },
      }),
    });
  }

  // Most goods are valued again by the district valuation committee before orders are made.
  const padding: Step[] = [];
  const heldNonCash = [...groups.values()]
    .map(({ to, items: held }) => ({ custodian: actorFor(to, district), items: held.filter((i) => i.category !== 'cash') }))
    .filter((group) => group.items.length > 0);
  const finalValuations = () =>
    heldNonCash.map((group) =>
      valuation(group.custodian, group.items, 'report of the district valuation committee', 'final valuation by the valuation committee'),
    );
  if (nonCash.length > 0 && random.chance(0.7)) padding.push(...finalValuations());
  const count = (steps: Step[]) => 1 + steps.reduce((sum, s) => sum + s.expectedEvents, 0);
  while (nonCash.length > 0 && count([...before, ...padding, ...after]) < MIN_EVENTS_PER_SEIZURE) {
    padding.push(...finalValuations());
  }
  // Cut where the seizure would pass the most events: the rest happens after the measured period.
  const steps: Step[] = [];
  let events = 1;
  for (const step of [...before, ...padding, ...after]) {
    if (events + step.expectedEvents > MAX_EVENTS_PER_SEIZURE) break;
    steps.push(step);
    events += step.expectedEvents;
  }

  const timeline = new Random(seed, index, LANES.timeline);
  let at = seizedAtMs + timeline.int(20, 240) * 60_000;
  const commands: TimedCommand[] = [{ command: record, actor: officer, now: new Date(at).toISOString(), expectedEvents: 1 }];
  for (const step of steps) {
    at += timeline.int(step.gapMinutes[0], step.gapMinutes[1]) * 60_000;
    const now = new Date(at).toISOString();
    commands.push({ command: step.build(now), actor: step.actor, now, expectedEvents: step.expectedEvents });
  }
  return { index, seizureId: d.seizureId, district, officer, record, commands };
}

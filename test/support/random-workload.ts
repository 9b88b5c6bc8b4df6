import { randomUUID } from 'node:crypto';
import type { Actor, Agency, Role } from '../../src/shared/actor';
import type { Custodian } from '../../src/custody/values';
import { INCOME_TAX_THRESHOLD_PAISE } from '../../src/custody/rules';
import { indianDayOf } from '../../src/shared/indian-day';
import type { E2eApp } from './e2e-app';

/**
 * Drives the real API with random but valid custody histories. Before each step it reads the
 * seizure back and picks among the actions the rules allow right then, so every request must
 * succeed: a refusal means the driver and the rules disagree, and the test says which.
 *
 * Randomness comes only from `choices` (fast-check generates them), so a failing case replays
 * exactly from its seed.
 */

export interface SeizurePlan {
  district: (typeof DISTRICTS)[number];
  items: Array<{ category: 'cash' | 'liquor' | 'drugs' | 'precious_metals' | 'freebies'; amount: number }>;
  /** One number per step: which allowed action, and the details of it. */
  choices: number[];
}

export const DISTRICTS = [
  { state: 'UP', district: 'UP-VNS', ac: 390, pc: 77 },
  { state: 'UP', district: 'UP-LKO', ac: 173, pc: 35 },
  { state: 'RJ', district: 'RJ-JPR', ac: 49, pc: 7 },
] as const;

interface ItemView {
  itemId: string;
  category: string;
  quantity: number;
  custodian: Custodian;
  disposition: 'held' | 'released' | 'disposed';
  openTransferId: string | null;
  depositChallan: string | null;
  sealNumbers: string[];
}
interface SeizureView {
  seizureId: string;
  items: ItemView[];
  transfers: Array<{ transferId: string; itemIds: string[]; from: Custodian; to: Custodian; sealNumbers: string[]; status: string }>;
  deposits: Array<{ challanNumber: string; treasury: Custodian; status: string; depositedBy: string }>;
  incomeTax: { referenceNumber: string | null; cleared: boolean };
  fir: unknown;
  releaseOrders: Array<{ orderNumber: string; authority: 'dgc' | 'court'; itemIds: string[] }>;
  totals: { cashPaise: number };
}

const national = { national: true as const };
const person = (sub: string, roles: Role[], unit: string, agency: Agency): Actor => ({
  sub,
  name: sub,
  roles,
  unit,
  agency,
  scope: national,
});

/** Whoever stands for a custodian: a member of that unit with the role that acts for it. */
function actorFor(custodian: Custodian, second = false): Actor {
  const suffix = second ? '-2' : '';
  switch (custodian.kind) {
    case 'team':
      return person(`u-officer-${custodian.id}${suffix}`, ['officer'], custodian.id, 'flying_squad');
    case 'treasury':
      return person(`u-treasury-${custodian.id}${suffix}`, ['treasury'], custodian.id, 'treasury');
    default:
      return person(`u-custodian-${custodian.id}${suffix}`, ['custodian'], custodian.id, 'police');
  }
}

const committee = person('u-dgc', ['committee'], 'DGC', 'election_office');
const court = person('u-court', ['court'], 'COURT-CJM', 'court');
const incomeTax = person('u-ito', ['officer'], 'IT-NODAL', 'income_tax');
const police = person('u-sho', ['officer'], 'PS-1', 'police');

const UNITS = { cash: 'paise', liquor: 'ml', drugs: 'mg', precious_metals: 'mg', freebies: 'pieces' } as const;

export class RandomWorkload {
  requests = 0;
  private cursor = 0;
  constructor(
    private readonly e2e: E2eApp,
    private readonly choices: readonly number[],
  ) {}

  private next(bound: number): number {
    const value = this.choices[this.cursor % this.choices.length] + Math.floor(this.cursor / this.choices.length);
    this.cursor++;
    return Math.abs(value) % Math.max(bound, 1);
  }
  private pick<T>(values: readonly T[]): T {
    return values[this.next(values.length)];
  }

  /** Today as officers write it: the Indian day of the test clock, not its UTC date. */
  private today(): string {
    return indianDayOf(this.e2e.clock.now());
  }

  private async send(method: 'get' | 'post', path: string, actor: Actor, body?: object): Promise<unknown> {
    this.requests++;
    const request = this.e2e
      .http()
      [method](path)
      .set('Authorization', `Bearer ${this.e2e.tokenFor(actor)}`);
    const response = await (body ? request.send(body) : request);
    if (response.status >= 300) {
      throw new Error(
        `${method.toUpperCase()} ${path} as ${actor.sub} answered ${response.status}: ${JSON.stringify(response.body)}\nbody: ${JSON.stringify(body)}`,
      );
    }
    return response.body;
  }

  /** Records one seizure and plays its steps; returns its id. */
  async play(plan: SeizurePlan): Promise<string> {
    const seizureId = randomUUID();
    const place = plan.district;
    const team: Custodian = { kind: 'team', id: `FS-${place.district}`, name: `Flying squad ${place.district}` };
    const officer = { ...actorFor(team), scope: { national: false as const, states: [], districts: [place.district] } };
    const items = plan.items.map((item, i) => ({
      itemId: `item-${i}`,
      category: item.category,
      description: `${item.category} ${i}`,
      quantity: item.amount,
      unit: UNITS[item.category],
      packages: 1 + (item.amount % 5),
      sealNumbers: [`S-${i}-a`, ...(item.amount % 2 ? [`S-${i}-b`] : [])],
      estimatedValuePaise: item.category === 'cash' ? item.amount : item.amount * 3 + 100,
    }));
    this.e2e.clock.advance(60_000);
    await this.send('post', '/seizures', officer, {
      seizureId,
      memoNumber: `M-${seizureId.slice(0, 8)}`,
      seizedAt: this.e2e.clock.now(),
      location: {
        state: place.state,
        district: place.district,
        assemblyConstituency: place.ac,
        parliamentaryConstituency: place.pc,
        latitude: 25.3,
        longitude: 82.9,
        place: 'नाका',
      },
      team: team.name,
      seizedFrom: { name: 'व्यक्ति', address: 'पता' },
      witnesses: [
        { name: 'W1', address: 'A1' },
        { name: 'W2', address: 'A2' },
      ],
      media: [],
      election: { id: 'GE-2024', name: 'General Election 2024', pollDate: '2024-05-01' },
      linkedToCandidateOrParty: plan.choices.length % 2 === 0,
      items,
    });
    for (const _ of plan.choices) {
      this.e2e.clock.advance(60_000 * (1 + this.next(30 * 60)));
      const view = (await this.send('get', `/seizures/${seizureId}`, officer)) as SeizureView;
      const actions = this.allowedActions(view, place.district);
      if (actions.length === 0) break;
      await this.pick(actions)();
    }
    // A court has a witness's data erased from some seizures, at the end and without drawing a choice,
    // so the rest of the workload stays as it was: the retention read model records erasures too.
    if (plan.choices.length % 3 === 0) {
      await this.send('post', `/seizures/${seizureId}/personal-data-erasures`, court, {
        subjects: ['witness-2'],
        legalBasis: 'court_order',
        orderReference: `ER-${seizureId.slice(0, 8)}`,
        courtOrder: { court: 'CJM', orderNumber: `ER-${seizureId.slice(0, 8)}`, orderedOn: this.today() },
      });
    }
    return seizureId;
  }

  private allowedActions(view: SeizureView, district: string): Array<() => Promise<unknown>> {
    const at = (path: string) => `/seizures/${view.seizureId}${path}`;
    const held = view.items.filter((i) => i.disposition === 'held');
    const movable = held.filter((i) => !i.openTransferId);
    const actions: Array<() => Promise<unknown>> = [];
    const cashBlocked = view.totals.cashPaise > INCOME_TAX_THRESHOLD_PAISE && !(view.incomeTax.referenceNumber && view.incomeTax.cleared);
    const byCustodian = new Map<string, ItemView[]>();
    for (const item of movable) {
      const key = `${item.custodian.kind}:${item.custodian.id}`;
      byCustodian.set(key, [...(byCustodian.get(key) ?? []), item]);
    }
    const groups = [...byCustodian.values()];

    if (groups.length > 0) {
      actions.push(() => {
        const group = this.pick(groups);
        const chosen = group.filter((_, i) => i === 0 || this.next(2) === 0);
        const everywhere: Custodian[] = [
          { kind: 'treasury', id: `TR-${district}`, name: 'District treasury' },
          { kind: 'malkhana', id: `MK-${district}`, name: 'Police malkhana' },
          { kind: 'court', id: `COURT-${district}`, name: 'Court' },
          { kind: 'laboratory', id: 'FSL-1', name: 'Forensic laboratory' },
          { kind: 'team', id: `FS-${district}`, name: `Flying squad ${district}` },
        ];
        const destinations = everywhere.filter((c) => !(c.kind === group[0].custodian.kind && c.id === group[0].custodian.id));
        // Cash goes to the treasury far more often than anywhere else, as it does in the field.
        if (chosen.some((i) => i.category === 'cash') && destinations[0].kind === 'treasury')
          destinations.push(destinations[0], destinations[0]);
        return this.send('post', at('/transfers'), actorFor(group[0].custodian), {
          transferId: randomUUID(),
          itemIds: chosen.map((i) => i.itemId),
          to: this.pick(destinations),
          sealNumbers: [...new Set(chosen.flatMap((i) => i.sealNumbers))],
          reason: 'random handover',
        });
      });
    }
    for (const transfer of view.transfers.filter((t) => t.status === 'open')) {
      actions.push(() =>
        this.send('post', at(`/transfers/${transfer.transferId}/accept`), actorFor(transfer.to), {
          seals: transfer.sealNumbers.map((number) => ({
            number,
            condition: this.pick(['intact', 'intact', 'intact', 'intact', 'broken', 'missing'] as const),
          })),
          countedQuantities: transfer.itemIds.map((itemId) => {
            const quantity = view.items.find((i) => i.itemId === itemId)?.quantity ?? 0;
            return { itemId, quantity: this.next(8) === 0 ? Math.max(0, quantity - 1) : quantity };
          }),
          remarks: 'received',
        }),
      );
      actions.push(() =>
        this.send('post', at(`/transfers/${transfer.transferId}/reject`), actorFor(transfer.to), { reason: 'seal doubtful' }),
      );
    }
    const depositable = movable.filter((i) => i.category === 'cash' && !i.depositChallan && i.custodian.kind === 'treasury');
    // A treasury deposits the cash it holds before much else happens to it: weigh that choice double.
    for (let weight = 0; depositable.length > 0 && weight < 2; weight++) {
      actions.push(() => {
        const item = this.pick(depositable);
        return this.send('post', at('/deposits'), actorFor(item.custodian), {
          challanNumber: `CH-${randomUUID().slice(0, 8)}`,
          treasury: { id: item.custodian.id, name: item.custodian.name },
          itemIds: [item.itemId],
          amountPaise: this.next(10) === 0 ? item.quantity + 100 : item.quantity,
          depositedOn: this.today(),
        });
      });
    }
    for (const deposit of view.deposits.filter((d) => d.status === 'pending')) {
      actions.push(() =>
        this.send('post', at(`/deposits/${deposit.challanNumber}/confirm`), actorFor(deposit.treasury, true), {
          confirmedAmountPaise: 1 + this.next(10) * 1000,
          remarks: 'checked',
        }),
      );
    }
    // Only the current custodian values an item (treasuries hold cash, which is never revalued).
    const valuable = held.filter((i) => i.category !== 'cash' && i.custodian.kind !== 'treasury');
    if (valuable.length > 0) {
      actions.push(() => {
        const item = this.pick(valuable);
        return this.send(
          'post',
          at('/valuations'),
          { ...actorFor(item.custodian), scope: national },
          { valuations: [{ itemId: item.itemId, valuePaise: 1 + this.next(1_000_000) }], basis: 'rate list', reason: 'revalued' },
        );
      });
    }
    if (!view.incomeTax.referenceNumber)
      actions.push(() =>
        this.send('post', at('/income-tax-referrals'), committee, {
          referenceNumber: `IT-${view.seizureId.slice(0, 6)}`,
          office: 'IT nodal',
          remarks: '',
        }),
      );
    if (view.incomeTax.referenceNumber && !view.incomeTax.cleared)
      actions.push(() => this.send('post', at('/income-tax-clearances'), incomeTax, { clearanceNumber: 'CLR-1', remarks: '' }));
    if (!view.fir)
      actions.push(() =>
        this.send('post', at('/firs'), police, {
          firNumber: `${this.next(900) + 1}/2024`,
          policeStation: 'PS',
          registeredOn: this.today(),
          sections: [],
        }),
      );

    const ordered = new Set(view.releaseOrders.flatMap((o) => o.itemIds));
    const orderable = held.filter((i) => !ordered.has(i.itemId) && !(cashBlocked && i.category === 'cash'));
    if (orderable.length > 0) {
      actions.push(() => {
        const chosen = orderable.filter((_, i) => i === 0 || this.next(2) === 0);
        return this.send('post', at('/release-orders'), view.fir ? court : committee, {
          orderNumber: `O-${randomUUID().slice(0, 8)}`,
          orderedOn: this.today(),
          itemIds: chosen.map((i) => i.itemId),
          releaseTo: { name: 'मालिक' },
          reasons: 'No link with any candidate was found on inquiry.',
        });
      });
    }
    for (const order of view.releaseOrders) {
      if (view.fir && order.authority !== 'court') continue;
      const releasable = movable.filter((i) => order.itemIds.includes(i.itemId) && !(cashBlocked && i.category === 'cash'));
      if (releasable.length === 0) continue;
      actions.push(() => {
        const custodian = this.pick(releasable).custodian;
        const sameHolder = releasable.filter((i) => i.custodian.kind === custodian.kind && i.custodian.id === custodian.id);
        return this.send('post', at('/releases'), actorFor(custodian), {
          orderNumber: order.orderNumber,
          itemIds: sameHolder.map((i) => i.itemId),
          releasedTo: { name: 'मालिक', idDocument: { type: 'voter-id', number: 'ABC1234567' } },
          identityChecked: true,
          remarks: '',
        });
      });
    }
    if (movable.length > 0) {
      actions.push(() =>
        this.send('post', at('/disposals'), court, {
          orderNumber: `CJM-${randomUUID().slice(0, 8)}`,
          orderedOn: this.today(),
          method: this.pick(['destroyed', 'confiscated', 'auctioned'] as const),
          itemIds: [this.pick(movable).itemId],
          remarks: '',
        }),
      );
    }
    return actions;
  }
}

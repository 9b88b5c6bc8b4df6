import { CATEGORIES, type Category } from '../../src/custody/values';
import { playSeizure, type GeneratedSeizure } from './play-seizure';
import { planSeizure } from './seizure-plan';

/**
 * The seeded workload: seizure number i is always the same for the same seed, whatever else is
 * generated, so phases regenerate what they need in chunks instead of holding 800,000 events.
 */
export class Workload {
  constructor(
    readonly seizureCount: number,
    readonly seed: number,
  ) {}

  seizure(index: number): GeneratedSeizure {
    return playSeizure(planSeizure(this.seed, index), this.seed);
  }

  /** Seizures [from, to) in chunks of `size`. */
  *chunks(size: number, from = 0, to = this.seizureCount): Generator<GeneratedSeizure[]> {
    for (let start = from; start < to; start += size) {
      const chunk: GeneratedSeizure[] = [];
      for (let i = start; i < Math.min(to, start + size); i++) chunk.push(this.seizure(i));
      yield chunk;
    }
  }
}

export interface WorkloadSummary {
  seizures: number;
  appends: number;
  events: number;
  eventsPerSeizure: { min: number; max: number; mean: number };
  itemsPerSeizure: { min: number; max: number; mean: number };
  eventTypes: Record<string, number>;
  /** Estimated value at seizure, in paise, by category. */
  valuePaiseByCategory: Record<Category, number>;
  /** The same as fractions of the whole. */
  valueShareByCategory: Record<Category, number>;
}

/** Counts what a workload holds, seizure by seizure. */
export class WorkloadTally {
  private seizures = 0;
  private appends = 0;
  private events = 0;
  private items = 0;
  private minEvents = Infinity;
  private maxEvents = 0;
  private minItems = Infinity;
  private maxItems = 0;
  private readonly eventTypes: Record<string, number> = {};
  private readonly value = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;

  add(seizure: GeneratedSeizure): void {
    this.seizures++;
    this.appends += seizure.appends.length;
    this.events += seizure.eventCount;
    this.items += seizure.items.length;
    this.minEvents = Math.min(this.minEvents, seizure.eventCount);
    this.maxEvents = Math.max(this.maxEvents, seizure.eventCount);
    this.minItems = Math.min(this.minItems, seizure.items.length);
    this.maxItems = Math.max(this.maxItems, seizure.items.length);
    for (const append of seizure.appends) for (const e of append.events) this.eventTypes[e.type] = (this.eventTypes[e.type] ?? 0) + 1;
    for (const item of seizure.items) this.value[item.category] += item.estimatedValuePaise;
  }

  summary(): WorkloadSummary {
    const total = Object.values(this.value).reduce((sum, v) => sum + v, 0);
    const n = Math.max(1, this.seizures);
    return {
      seizures: this.seizures,
      appends: this.appends,
      events: this.events,
      eventsPerSeizure: { min: this.seizures ? this.minEvents : 0, max: this.maxEvents, mean: this.events / n },
      itemsPerSeizure: { min: this.seizures ? this.minItems : 0, max: this.maxItems, mean: this.items / n },
      eventTypes: { ...this.eventTypes },
      valuePaiseByCategory: { ...this.value },
      valueShareByCategory: Object.fromEntries(CATEGORIES.map((c) => [c, total > 0 ? this.value[c] / total : 0])) as Record<
        Category,
        number
      >,
    };
  }
}

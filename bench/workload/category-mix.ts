import type { Agency } from '../../src/shared/actor';
import type { Category, QuantityUnit, SeizedItem } from '../../src/custody/values';
import type { Random } from './random';

/**
 * What is seized and what it is worth, shaped like the 2024 general election: by value drugs
 * 45 %, freebies and other 22 %, precious metals 14 %, cash 10 %, liquor 9 %. Cash and liquor are
 * seized often in small lots; drugs less often but in large ones. An item's value is drawn from a
 * log-normal with the category's mean, so that count share × mean value gives the value share.
 */

/** Share of all seized value, by category (freebies and other split 16 / 6 of the 22 %). */
export const VALUE_SHARE: Readonly<Record<Category, number>> = {
  drugs: 0.45,
  freebies: 0.16,
  other: 0.06,
  precious_metals: 0.14,
  cash: 0.1,
  liquor: 0.09,
};

/** Share of seized items, by category. */
export const ITEM_SHARE: Readonly<Record<Category, number>> = {
  cash: 0.25,
  liquor: 0.25,
  drugs: 0.1,
  precious_metals: 0.1,
  freebies: 0.2,
  other: 0.1,
};

/** Mean value of a cash item: Rs 3 lakh. The other means follow from the shares. */
const MEAN_CASH_ITEM_PAISE = 3_00_000 * 100;
const VALUE_SIGMA = 1;
/** Cuts the log-normal's far tail so that a few items cannot swing a small run's mix. */
const MAX_MEAN_MULTIPLE = 40;

export const MEAN_ITEM_VALUE_PAISE: Readonly<Record<Category, number>> = Object.fromEntries(
  (Object.keys(VALUE_SHARE) as Category[]).map((c) => [
    c,
    (MEAN_CASH_ITEM_PAISE * (VALUE_SHARE[c] / ITEM_SHARE[c])) / (VALUE_SHARE.cash / ITEM_SHARE.cash),
  ]),
) as Record<Category, number>;

/** How many items a seizure holds: a third hold one. */
const ITEM_COUNTS: ReadonlyArray<readonly [number, number]> = [
  [1, 35],
  [2, 28],
  [3, 18],
  [4, 12],
  [5, 7],
];

/** A seizure's later items are mostly of its first item's kind (a truck of liquor, a bag of cash). */
const SAME_CATEGORY_AGAIN = 0.6;

/** Goods of a category: a description, its unit, the price of one unit in paise, and lot sizes. */
interface Goods {
  description: (units: number) => string;
  unit: QuantityUnit;
  /** Paise per unit of `unit` (per ml, mg or piece). */
  unitPrice: number;
  /** Units per package, for the number of packages. */
  perPackage: number;
}

const GOODS: Readonly<Record<Exclude<Category, 'cash'>, readonly Goods[]>> = {
  liquor: [
    { description: (ml) => `Country liquor, ${Math.round(ml / 180)} pouches of 180 ml`, unit: 'ml', unitPrice: 40, perPackage: 180 * 48 },
    { description: (ml) => `IMFL whisky, ${Math.round(ml / 750)} bottles of 750 ml`, unit: 'ml', unitPrice: 100, perPackage: 750 * 12 },
    { description: (ml) => `Beer, ${Math.round(ml / 500)} cans of 500 ml`, unit: 'ml', unitPrice: 40, perPackage: 500 * 24 },
  ],
  drugs: [
    { description: (mg) => `Ganja, ${(mg / 1e6).toFixed(1)} kg`, unit: 'mg', unitPrice: 2, perPackage: 1_000_000 },
    { description: (mg) => `Heroin, ${(mg / 1e3).toFixed(0)} g`, unit: 'mg', unitPrice: 1000, perPackage: 100_000 },
    { description: (mg) => `Mephedrone (MD), ${(mg / 1e3).toFixed(0)} g`, unit: 'mg', unitPrice: 500, perPackage: 100_000 },
    { description: (mg) => `Charas, ${(mg / 1e3).toFixed(0)} g`, unit: 'mg', unitPrice: 50, perPackage: 500_000 },
    { description: (n) => `Tramadol tablets, ${n} strips`, unit: 'pieces', unitPrice: 20_000, perPackage: 100 },
  ],
  precious_metals: [
    { description: (mg) => `Gold bars and ornaments, ${(mg / 1e3).toFixed(1)} g`, unit: 'mg', unitPrice: 700, perPackage: 1_000_000 },
    { description: (mg) => `Silver ornaments, ${(mg / 1e6).toFixed(2)} kg`, unit: 'mg', unitPrice: 9, perPackage: 5_000_000 },
  ],
  freebies: [
    { description: (n) => `Sarees, ${n} pieces`, unit: 'pieces', unitPrice: 50_000, perPackage: 50 },
    { description: (n) => `Pressure cookers, ${n} pieces`, unit: 'pieces', unitPrice: 150_000, perPackage: 10 },
    { description: (n) => `Rice bags of 25 kg, ${n} bags`, unit: 'pieces', unitPrice: 100_000, perPackage: 1 },
    { description: (n) => `Laptops, ${n} pieces`, unit: 'pieces', unitPrice: 3_000_000, perPackage: 5 },
    { description: (n) => `Wall clocks with a party symbol, ${n} pieces`, unit: 'pieces', unitPrice: 30_000, perPackage: 40 },
  ],
  other: [
    { description: (n) => `Mobile phones, ${n} pieces`, unit: 'pieces', unitPrice: 1_200_000, perPackage: 20 },
    { description: (n) => `Cricket kits, ${n} pieces`, unit: 'pieces', unitPrice: 250_000, perPackage: 10 },
    { description: (n) => `Two-wheelers used to carry the goods, ${n}`, unit: 'pieces', unitPrice: 8_000_000, perPackage: 1 },
  ],
};

const CATEGORY_WEIGHTS = (Object.keys(ITEM_SHARE) as Category[]).map((c) => [c, ITEM_SHARE[c]] as const);

/** Which agency seizes what, by the seizure's first item. */
export const AGENCY_BY_CATEGORY: Readonly<Record<Category, ReadonlyArray<readonly [Agency, number]>>> = {
  cash: [
    ['flying_squad', 45],
    ['static_surveillance_team', 30],
    ['police', 15],
    ['income_tax', 10],
  ],
  liquor: [
    ['excise', 50],
    ['police', 30],
    ['flying_squad', 20],
  ],
  drugs: [
    ['police', 40],
    ['ncb', 30],
    ['dri', 10],
    ['customs', 10],
    ['excise', 10],
  ],
  precious_metals: [
    ['dri', 30],
    ['customs', 20],
    ['flying_squad', 20],
    ['gst', 15],
    ['police', 15],
  ],
  freebies: [
    ['flying_squad', 40],
    ['static_surveillance_team', 30],
    ['gst', 15],
    ['police', 15],
  ],
  other: [
    ['flying_squad', 50],
    ['police', 30],
    ['static_surveillance_team', 20],
  ],
};

export function itemCategories(random: Random): Category[] {
  const count = random.weighted(ITEM_COUNTS);
  const first = random.weighted(CATEGORY_WEIGHTS);
  const categories = [first];
  for (let i = 1; i < count; i++) categories.push(random.chance(SAME_CATEGORY_AGAIN) ? first : random.weighted(CATEGORY_WEIGHTS));
  return categories;
}

/** One seized item of the category, its value drawn around the category's mean. */
export function seizedItem(random: Random, category: Category, itemId: string, sealPrefix: string): SeizedItem {
  const mean = MEAN_ITEM_VALUE_PAISE[category];
  const target = Math.min(random.logNormal(mean, VALUE_SIGMA), mean * MAX_MEAN_MULTIPLE);
  const packages = (units: number, perPackage: number) => Math.max(1, Math.min(100_000, Math.ceil(units / perPackage)));
  const seals = (count: number) => Array.from({ length: Math.min(count, 3) }, (_, i) => `${sealPrefix}-${String.fromCharCode(97 + i)}`);

  if (category === 'cash') {
    // Counted in Rs 500 and Rs 100 notes; the value of cash is its amount.
    const notes = Math.max(1, Math.round(target / 50_000));
    const amount = notes * 50_000;
    const bundles = packages(notes, 100);
    return {
      itemId,
      category,
      description: `Rs 500 notes, ${notes} pieces`,
      quantity: amount,
      unit: 'paise',
      packages: bundles,
      sealNumbers: seals(random.int(1, 2)),
      estimatedValuePaise: amount,
    };
  }
  const goods = random.pick(GOODS[category]);
  const quantity = Math.max(1, Math.round(target / goods.unitPrice));
  const lots = packages(quantity, goods.perPackage);
  return {
    itemId,
    category,
    description: goods.description(quantity),
    quantity,
    unit: goods.unit,
    packages: lots,
    sealNumbers: seals(random.int(1, 3)),
    estimatedValuePaise: quantity * goods.unitPrice,
  };
}

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handleSeizureCommand } from '../../custody/handle-command';
import type { SeizureCommand } from '../../custody/command';
import type { SeizedItem } from '../../custody/values';
import { SqliteEventStore } from '../../ledger/sqlite/sqlite-event-store';
import type { Actor } from '../../shared/actor';
import { systemClock } from '../../shared/clock';
import { formatIstMinute } from '../../shared/indian-format';
import { actors, custodians, recordSeizureCommand } from '../../../test/support/custody-fixtures';
import { inspectPdf, pdfPageCount, pdfText, readPnm } from '../../../test/support/pdf-reader';
import { verifyEvidenceBundle } from '../verify/bundle.verify';
import { bundleFromStore, clone } from './bundle.test-support';
import { EvidenceBundleError, type EvidenceBundle } from './evidence-bundle';
import { renderEvidenceBundlePdf } from './evidence-bundle.pdf';

/**
 * A seizure of five items and more than forty steps, recorded through the real command handler
 * into SQLite, printed and read back with pdfjs: every page says "Page x of y", every step
 * has its row with when and who, nothing is cut short, and the certificate's hash is the JSON's.
 */
const SEIZURE = '0f9a3c1e-5b7d-4e2a-8c6f-1d2e3f4a5b6c';
const ITEMS: SeizedItem[] = [
  {
    itemId: 'cash',
    category: 'cash',
    description: 'Rs 500 notes in a black bag',
    quantity: 25_000_000,
    unit: 'paise',
    packages: 1,
    sealNumbers: ['S-1'],
    estimatedValuePaise: 25_000_000,
  },
  {
    itemId: 'liquor',
    category: 'liquor',
    description: 'Whisky, 64 bottles of 750 ml',
    quantity: 48_000,
    unit: 'ml',
    packages: 4,
    sealNumbers: ['S-2'],
    estimatedValuePaise: 4_800_000,
  },
  {
    itemId: 'ganja',
    category: 'drugs',
    description: 'Ganja in 3 packets',
    quantity: 2_500_000,
    unit: 'mg',
    packages: 3,
    sealNumbers: ['S-3'],
    estimatedValuePaise: 1_500_000,
  },
  {
    itemId: 'gold',
    category: 'precious_metals',
    description: 'Gold biscuits',
    quantity: 1_234_567,
    unit: 'mg',
    packages: 1,
    sealNumbers: ['S-4'],
    estimatedValuePaise: 8_000_000,
  },
  {
    itemId: 'sarees',
    category: 'freebies',
    description: 'साड़ियाँ, 120 pieces',
    quantity: 120,
    unit: 'pieces',
    packages: 6,
    sealNumbers: ['S-5'],
    estimatedValuePaise: 600_000,
  },
];
const GOODS = ['liquor', 'ganja', 'gold', 'sarees'];
const SEALS = ['S-2', 'S-3', 'S-4', 'S-5'];

let minute = 0;
async function run(store: SqliteEventStore, command: SeizureCommand, actor: Actor): Promise<void> {
  minute += 37; // steps hours apart, across IST midnights
  const now = new Date(Date.parse('2024-04-19T05:30:00.000Z') + minute * 60_000 * 7).toISOString();
  await handleSeizureCommand(store, SEIZURE, command, { actor, now });
}

async function recordTheSeizure(store: SqliteEventStore): Promise<void> {
  await run(store, recordSeizureCommand({ seizureId: SEIZURE, items: ITEMS }), actors.flyingSquad);
  // Cash to the treasury, one seal found broken: the acceptance and a discrepancy.
  await run(
    store,
    {
      type: 'InitiateCustodyTransfer',
      data: { transferId: 'cash-1', itemIds: ['cash'], to: custodians.treasury, sealNumbers: ['S-1'], reason: 'deposit' },
    },
    actors.flyingSquad,
  );
  await run(
    store,
    {
      type: 'AcceptCustodyTransfer',
      data: {
        transferId: 'cash-1',
        seals: [{ number: 'S-1', condition: 'broken' }],
        countedQuantities: [{ itemId: 'cash', quantity: 25_000_000 }],
        remarks: 'seal torn',
      },
    },
    actors.treasuryOfficer,
  );
  // A refused handover of the goods.
  await run(
    store,
    {
      type: 'InitiateCustodyTransfer',
      data: { transferId: 'refused', itemIds: GOODS, to: custodians.malkhana, sealNumbers: SEALS, reason: 'storage' },
    },
    actors.flyingSquad,
  );
  await run(store, { type: 'RejectCustodyTransfer', data: { transferId: 'refused', reason: 'no room in the malkhana' } }, actors.malkhana);
  await run(
    store,
    { type: 'ValueItems', data: { valuations: [{ itemId: 'gold', valuePaise: 9_000_000 }], basis: 'jeweller', reason: 'assay' } },
    actors.flyingSquad,
  );
  // The goods go back and forth between the squad and the malkhana until the seizure has 40 steps and more.
  for (let round = 0; (await store.readStream(`seizure-${SEIZURE}`)).length < 42; round++) {
    const there = `out-${round}`;
    const back = `back-${round}`;
    const counts = GOODS.map((itemId) => ({ itemId, quantity: ITEMS.find((i) => i.itemId === itemId)!.quantity }));
    const intact = SEALS.map((number) => ({ number, condition: 'intact' as const }));
    await run(
      store,
      {
        type: 'InitiateCustodyTransfer',
        data: { transferId: there, itemIds: GOODS, to: custodians.malkhana, sealNumbers: SEALS, reason: 'storage' },
      },
      actors.flyingSquad,
    );
    await run(
      store,
      { type: 'AcceptCustodyTransfer', data: { transferId: there, seals: intact, countedQuantities: counts, remarks: 'गिनती सही' } },
      actors.malkhana,
    );
    await run(
      store,
      {
        type: 'InitiateCustodyTransfer',
        data: {
          transferId: back,
          itemIds: GOODS,
          to: custodians.flyingSquad,
          sealNumbers: SEALS,
          reason: 'production before the magistrate',
        },
      },
      actors.malkhana,
    );
    await run(
      store,
      { type: 'AcceptCustodyTransfer', data: { transferId: back, seals: intact, countedQuantities: counts, remarks: '' } },
      actors.flyingSquadColleague,
    );
  }
}

describe('evidence bundle PDF of a long seizure (5 items, 40+ steps)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let bundle: EvidenceBundle;
  let file: string;
  let pages: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bundle-story-'));
    store = SqliteEventStore.open({ filename: join(dir, 'ledger.sqlite'), clock: systemClock, pollIntervalMs: 20 });
    await recordTheSeizure(store);
    bundle = (await bundleFromStore(store, SEIZURE)).bundle;
    file = join(dir, 'bundle.pdf');
    writeFileSync(file, await renderEvidenceBundlePdf(bundle));
    pages = pdfPageCount(file);
  }, 60_000);
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has every page numbered "Page x of y"', () => {
    expect(bundle.events.length).toBeGreaterThanOrEqual(40);
    expect(pages).toBeGreaterThan(4);
    for (let page = 1; page <= pages; page++) expect(pdfText(file, page)).toContain(`Page ${page} of ${pages}`);
  });

  it('has a row for every step with when and who did it, and a table for every item', () => {
    const text = pdfText(file);
    for (const e of bundle.events) {
      const actor = e.metadata.actor as { name: string };
      const when = formatIstMinute(e.metadata.occurredAt as string);
      expect(text).toContain(`#${e.revision} ${when} ${actor.name}`);
    }
    ITEMS.forEach((item, i) => expect(text).toContain(`Item ${i + 1}: ${item.description.normalize('NFC')}`));
    expect(pdfText(file, 1)).toContain('Evidence bundle: seizure memo FS3/VNS/2024/117, चेक पोस्ट, मुग़लसराय रोड'.normalize('NFC'));
  });

  it('prints amounts and quantities as a reader writes them, and no raw paise or field paths', () => {
    const text = pdfText(file);
    for (const printed of ['₹2,50,000.00', '48 L', '2.500 kg', '1,234.567 g', '120 pieces', 'Value changed from ₹80,000.00 to ₹90,000.00'])
      expect(text).toContain(printed);
    expect(text).not.toMatch(/paise|items\[\d+\]|\.intervals\[/);
    expect(text).toContain('Discrepancy (seals broken)');
    expect(text).toContain('Handover refused: no room in the malkhana');
  });

  it('prints the JSON bundle’s own hash on the certificate, and carries that JSON inside', () => {
    const certificate = pdfText(file, pages);
    expect(/Hash value: ([0-9a-f]{64})/.exec(certificate)?.[1]).toBe(bundle.bundleHash);
    const [attached] = inspectPdf(file).attachments;
    expect(attached.name).toBe(`evidence-${SEIZURE}.json`);
    const carried = JSON.parse(attached.content.toString('utf8')) as EvidenceBundle;
    expect(carried.bundleHash).toBe(bundle.bundleHash);
    expect(verifyEvidenceBundle(carried, {}).ok).toBe(true);
  });

  it('renders every page to an image inside its margins, the discrepancy rows in red', () => {
    const { renders } = inspectPdf(file, { dpi: 36, prefix: join(dir, 'page'), formats: ['ppm'] });
    const images = readdirSync(dir)
      .filter((f) => f.startsWith('page') && f.endsWith('.ppm'))
      .sort();
    expect(images).toHaveLength(pages);
    expect(renders.map((r) => r.files.ppm)).toEqual(images.map((image) => join(dir, image)));
    let redPages = 0;
    for (const image of images) {
      const { width, height, pixels } = readPnm(join(dir, image));
      let ink = 0;
      let red = 0;
      for (let p = 0; p < width * height; p++) {
        const [r, g, b] = [pixels[3 * p], pixels[3 * p + 1], pixels[3 * p + 2]];
        if (r + g + b < 384) ink++;
        if (r > 150 && g < 90 && b < 90) red++;
      }
      expect(ink / (width * height)).toBeGreaterThan(0.001);
      if (red > 20) redPages++;
      // Nothing in the outer 20 pt of any page (36 dpi: 10 px).
      for (let y = 0; y < height; y++)
        for (const x of [0, 5, width - 6, width - 1]) expect(pixels[3 * (y * width + x)]).toBeGreaterThan(200);
    }
    expect(redPages).toBeGreaterThan(0);
  });

  it('refuses a bundle whose content no longer matches its hash', async () => {
    const tampered = clone(bundle);
    (tampered.events[0].data as unknown as { items: SeizedItem[] }).items[0].quantity = 1;
    await expect(renderEvidenceBundlePdf(tampered)).rejects.toThrow(EvidenceBundleError);
    const relabelled = clone(bundle);
    relabelled.certificate.partA.hashValue = 'f'.repeat(64);
    await expect(renderEvidenceBundlePdf(relabelled)).rejects.toThrow(/certificate/);
  });
});

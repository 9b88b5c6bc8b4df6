import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../ledger/sqlite/sqlite-event-store';
import { systemClock } from '../../shared/clock';
import { bytesToHex, hexToBytes, inclusionProof, rootOf } from '../merkle/rfc9162';
import { freshKey, signHead, signTestCheckpoint } from './bundle.test-support';
import { buildEvidenceBundle, SYSTEM_NAME, type EvidenceBundle } from './evidence-bundle';
import { renderEvidenceBundlePdf, scriptRuns } from './evidence-bundle.pdf';
import { inspectPdf, readPnm } from '../../../test/support/pdf-reader';

/**
 * The PDF printout of an evidence bundle, read back with pdfjs (test/support/pdf-reader.ts): the
 * shipped fonts are embedded (no substitution), the Devanagari names come back out as text in logical
 * order, and page 1 rasterises to a page with ink on it.
 */
const NAMES = { seizedFrom: 'रमेश चंद्र', magistrate: 'श्री आर. के. मिश्रा', witness: 'क्षत्रिय', place: 'चेक पोस्ट, मुग़लसराय रोड' };

async function makeBundle(store: SqliteEventStore): Promise<EvidenceBundle> {
  const seizureId = randomUUID();
  const stream = `seizure-${seizureId}`;
  const meta = { actor: 'officer-17', occurredAt: '2024-04-19T05:30:00.000Z' };
  const cash = randomUUID();
  await store.appendToStream(stream, [
    {
      id: randomUUID(),
      type: 'SeizureRecorded',
      data: {
        seizureId,
        memoNumber: 'FS3/VNS/2024/117',
        seizedAt: '2024-04-19T05:30:00.000Z',
        location: { state: 'UP', district: 'UP-VNS', assemblyConstituency: 390, parliamentaryConstituency: 77, place: NAMES.place },
        agency: 'flying_squad',
        team: 'Flying Squad 3, Varanasi Cantt',
        magistrate: { name: NAMES.magistrate, designation: 'Executive Magistrate' },
        seizedFrom: { name: NAMES.seizedFrom, address: 'Sigra, Varanasi' },
        witnesses: [{ name: NAMES.witness, address: 'Cantt, Varanasi' }],
        items: [
          {
            itemId: cash,
            category: 'cash',
            description: 'नकद राशि ₹12,50,000, 500 के 2500 नोट',
            quantity: 125_000_000,
            unit: 'paise',
            packages: 1,
            sealNumbers: ['S-1001'],
          },
        ],
      },
      metadata: meta,
    },
    {
      id: randomUUID(),
      type: 'CustodyTransferInitiated',
      data: {
        transferId: 't1',
        itemIds: [cash],
        to: { kind: 'treasury', id: 'TR-VNS', name: 'District Treasury Varanasi' },
        sealNumbers: ['S-1001'],
        reason: 'deposit',
      },
      metadata: meta,
    },
    {
      id: randomUUID(),
      type: 'CustodyTransferAccepted',
      data: {
        transferId: 't1',
        seals: [{ number: 'S-1001', condition: 'intact' }],
        countedQuantities: [{ itemId: cash, quantity: 125_000_000 }],
        remarks: 'गिनती सही',
      },
      metadata: meta,
    },
  ]);
  const all = await store.readAll();
  const leaves = all.map((e) => hexToBytes(e.hash));
  const key = freshKey();
  const head = signHead(
    { logId: key.logId, treeSize: leaves.length, rootHash: bytesToHex(rootOf(leaves)), timestamp: '2024-04-20T06:00:00.000Z' },
    key,
  );
  const events = await store.readStream(stream);
  const indexOf = new Map(all.map((e, i) => [e.id, i]));
  return buildEvidenceBundle({
    seizureId,
    events,
    inclusion: events.map((e) => ({ eventId: e.id, leafIndex: indexOf.get(e.id)!, proof: inclusionProof(leaves, indexOf.get(e.id)!) })),
    treeHead: head,
    checkpoint: signTestCheckpoint(head, key),
    publicKey: key.publicKeyBase64,
    custodyHistory: { items: [{ itemId: cash, currentCustodian: { name: 'District Treasury Varanasi' } }], टिप्पणी: 'सील अक्षुण्ण' },
    generatedAt: '2024-04-20T06:00:00.000Z',
    server: { system: SYSTEM_NAME, version: '0.1.0', host: 'ledger-test', storeKind: store.kind },
    place: 'जिला निर्वाचन कार्यालय, वाराणसी',
  });
}

describe('evidence bundle as PDF (read back with pdfjs)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let bundle: EvidenceBundle;
  let pdf: Buffer;
  let file: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bundle-pdf-'));
    store = SqliteEventStore.open({ filename: join(dir, 'ledger.sqlite'), clock: systemClock, pollIntervalMs: 20 });
    bundle = await makeBundle(store);
    pdf = await renderEvidenceBundlePdf(bundle);
    file = join(dir, 'bundle.pdf');
    writeFileSync(file, pdf);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a Devanagari name, its spaces and dots in one run of one font', () => {
    expect(scriptRuns(`Magistrate: ${NAMES.magistrate} (Executive)`)).toEqual([
      { devanagari: false, text: 'Magistrate: ' },
      { devanagari: true, text: `${NAMES.magistrate} ` },
      { devanagari: false, text: '(Executive)' },
    ]);
  });

  it('is a deterministic PDF dated by the bundle, not by the clock', async () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await renderEvidenceBundlePdf(bundle)).equals(pdf)).toBe(true);
    const info = inspectPdf(file);
    expect(info.creationDate).toBe('2024-04-20T06:00:00.000Z');
    expect(info.pageCount).toBeGreaterThanOrEqual(2);
  });

  it('embeds the shipped Noto fonts and nothing else', () => {
    const { fonts } = inspectPdf(file);
    expect(fonts.map((f) => f.name).sort()).toEqual([
      'NotoSans-Bold',
      'NotoSans-Regular',
      'NotoSansDevanagari-Bold',
      'NotoSansDevanagari-Regular',
    ]);
    for (const f of fonts) expect(f).toMatchObject({ embedded: true, subset: true, toUnicode: true });
  });

  it('gives the Devanagari names back as text, in logical order', () => {
    const text = inspectPdf(file).pages.join('\n').normalize('NFC');
    for (const name of Object.values(NAMES)) expect(text).toContain(name.normalize('NFC'));
    expect(text).toContain(bundle.bundleHash);
    expect(text).toContain(`Tree size: ${bundle.treeHead.treeSize}`);
    expect(text).toContain(bundle.treeHead.rootHash);
    expect(text).toContain(`Inclusion proofs: ${bundle.events.length}`);
    expect(text).toContain('Part A');
    expect(text).toContain('Part B');
    expect(text).toContain('Section 63');
    expect(text).toContain('Cosigned by witnesses');
  });

  it('renders page 1 to an image with text on it', () => {
    const [page1] = inspectPdf(file, { dpi: 72, pages: [1], prefix: join(dir, 'page'), formats: ['png', 'pgm'] }).renders;
    const pngBytes = readFileSync(page1.files.png!);
    expect(pngBytes.subarray(1, 4).toString('latin1')).toBe('PNG');

    const { width, height, pixels } = readPnm(page1.files.pgm!);
    // A4 (595.28 x 841.89 pt) at 72 dpi, give or take rounding.
    expect(Math.abs(width - 595)).toBeLessThanOrEqual(1);
    expect(Math.abs(height - 842)).toBeLessThanOrEqual(1);
    const inked = pixels.reduce((n, p) => n + (p < 128 ? 1 : 0), 0) / pixels.length;
    expect(inked).toBeGreaterThan(0.01); // not blank
    expect(inked).toBeLessThan(0.3); // not a black page either
    // Ink stays inside the 50 pt margins: nothing overflows the page.
    for (let y = 0; y < height; y++) {
      for (const x of [0, 10, 30, width - 31, width - 11, width - 1]) expect(pixels[y * width + x]).toBeGreaterThan(200);
    }
  });
});

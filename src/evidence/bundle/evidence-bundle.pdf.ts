/**
 * The evidence bundle as a PDF a magistrate can read: the seizure and its items, the custody
 * history as a table per item (who, when in IST, what moved, the seals and counts checked, any
 * discrepancy in red), the hashes and proofs in an appendix, and the Section 63 certificate (Part A
 * pre-filled, blank lines for the signatory, Part B blank), "Page x of y" on every page.
 *
 * Printed ONLY from a JSON bundle: bundle in, bytes out, the same function for the server and for
 * `seizure-ledger print`. A bundle whose content does not match its `bundleHash` is refused, so the
 * hash on the certificate is always that of the JSON printed. The JSON itself is attached to the
 * PDF (an embedded file, relationship Source), so the PDF carries the bundle it was printed from.
 *
 * PURE apart from reading the shipped fonts once. Byte-for-byte deterministic for a given bundle:
 * the PDF's dates are the bundle's `generatedAt`, and pdfkit derives the file ID and font subset
 * tags from the content, not from a clock or RNG. Fonts: Noto Sans and Noto Sans Devanagari (OFL,
 * assets/fonts/ with the licence); both have the rupee sign.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import PDFDocument from 'pdfkit';
import { computeBundleHash } from '../verify/bundle.verify';
import { EvidenceBundleError } from './evidence-bundle';
import type { EvidenceBundle } from './evidence-bundle.format';
import { custodyStory } from './print/custody-story';
import { appendix, certificate, cover, custody, items, seizureTitle } from './print/pdf-sections';
import { MARGIN, Writer } from './print/pdf-writer';

export { scriptRuns } from './print/pdf-writer';

/** From src/evidence/bundle and dist/evidence/bundle alike. */
export const FONT_DIR = resolve(__dirname, '../../../assets/fonts');

export interface PdfFonts {
  latin: Buffer;
  latinBold: Buffer;
  devanagari: Buffer;
  devanagariBold: Buffer;
}

let shipped: PdfFonts | undefined;

export function shippedFonts(): PdfFonts {
  shipped ??= {
    latin: readFileSync(resolve(FONT_DIR, 'NotoSans-Regular.ttf')),
    latinBold: readFileSync(resolve(FONT_DIR, 'NotoSans-Bold.ttf')),
    devanagari: readFileSync(resolve(FONT_DIR, 'NotoSansDevanagari-Regular.ttf')),
    devanagariBold: readFileSync(resolve(FONT_DIR, 'NotoSansDevanagari-Bold.ttf')),
  };
  return shipped;
}

/** The name of the JSON bundle attached to its PDF. */
export const attachedBundleName = (bundle: EvidenceBundle): string => `evidence-${bundle.seizureId}.json`;

/** Refuses a bundle whose content is not what its hash (and the certificate's hash line) says. */
export function requireSealedBundle(bundle: EvidenceBundle): void {
  let actual: string;
  try {
    actual = computeBundleHash(bundle);
  } catch (error) {
    throw new EvidenceBundleError(`the bundle cannot be hashed: ${(error as Error).message}`);
  }
  if (actual !== bundle.bundleHash) {
    throw new EvidenceBundleError(
      `the bundle does not match its bundleHash (${String(bundle.bundleHash)}): its content hashes to ${actual}`,
    );
  }
  if (bundle.certificate?.partA?.hashValue !== bundle.bundleHash) {
    throw new EvidenceBundleError('the certificate’s hash value differs from the bundleHash');
  }
}

/** Renders the bundle; resolves to the PDF bytes, or rejects with EvidenceBundleError for a bundle that is not what its hash says. */
export function renderEvidenceBundlePdf(bundle: EvidenceBundle, fonts: PdfFonts = shippedFonts()): Promise<Buffer> {
  try {
    requireSealedBundle(bundle);
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new EvidenceBundleError(String(error)));
  }
  const created = new Date(bundle.generatedAt);
  const { memo, place } = seizureTitle(bundle);
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    compress: true,
    bufferPages: true,
    info: {
      Title: `Evidence bundle, seizure memo ${memo}, ${place}`,
      Author: `${bundle.server.system} ${bundle.server.version}`,
      Subject: `${bundle.format} ${bundle.bundleHash}`,
      Creator: bundle.server.system,
      Producer: bundle.server.system,
      CreationDate: created,
      ModDate: created,
    },
    lang: 'en-IN',
  });
  doc.registerFont('latin', fonts.latin);
  doc.registerFont('latinBold', fonts.latinBold);
  doc.registerFont('devanagari', fonts.devanagari);
  doc.registerFont('devanagariBold', fonts.devanagariBold);

  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolvePdf, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolvePdf(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const w = new Writer(doc);
  try {
    const story = custodyStory(bundle.events);
    cover(w, bundle);
    items(w, story);
    custody(w, bundle, story);
    appendix(w, bundle);
    certificate(w, bundle);
    w.footers(`Evidence bundle, seizure memo ${memo}`);
    doc.file(Buffer.from(`${JSON.stringify(bundle, null, 2)}\n`, 'utf8'), {
      name: attachedBundleName(bundle),
      type: 'application/json',
      description: `The evidence bundle this PDF prints (SHA-256 ${bundle.bundleHash})`,
      creationDate: created,
      modifiedDate: created,
      // pdfkit writes AFRelationship from this; its type declarations lag behind.
      ...{ relationship: 'Source' },
    });
    doc.end();
  } catch (error) {
    doc.end();
    return Promise.reject(error instanceof Error ? error : new Error(`the PDF could not be written: ${String(error)}`));
  }
  return done;
}

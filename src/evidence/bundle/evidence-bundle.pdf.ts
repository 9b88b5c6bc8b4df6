/**
 * The evidence bundle as a readable PDF: seizure particulars, item list, custody timeline, seals,
 * hashes, the proof summary and the Section 63 certificate (Part A pre-filled, blank lines for the
 * signatory, Part B blank). The JSON bundle stays the thing a verifier checks; this is its print.
 *
 * PURE apart from reading the shipped fonts once: bundle in, Buffer out. The output is byte-for-byte
 * deterministic for a given bundle: the PDF's creation date is the bundle's `generatedAt`, and
 * pdfkit derives the file ID and font subset tags from the content, not from a clock or RNG.
 *
 * Names and places are often in Devanagari. Text is split into runs by script: Devanagari runs are
 * set in Noto Sans Devanagari, the rest in Noto Sans (both OFL, shipped in assets/fonts/ with the
 * licence). pdfkit shapes each run with fontkit, which applies the Indic shaping (conjuncts such as
 * क्ष and त्र, reph, pre-base matra reordering).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import PDFDocument from 'pdfkit';
import type { JsonValue } from '../../shared/json';
import { BUNDLE_HASH_EXCLUDED_FIELDS, formatIst, type BundledEvent, type EvidenceBundle } from './evidence-bundle';

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

type Face = 'latin' | 'latinBold' | 'devanagari' | 'devanagariBold';
type Doc = PDFKit.PDFDocument;

const MARGIN = 50;
const BLANK = '_'.repeat(48);
/** Noto Sans' ascender, in em; the baseline of every line of text. */
const LATIN_ASCENT = 1.069;
/** Room below the line for Devanagari descenders (0.408 em against Latin's 0.293 em). */
const LINE_GAP = 1.5;

/** Devanagari, Devanagari Extended and Vedic Extensions. */
function isDevanagari(cp: number): boolean {
  return (cp >= 0x0900 && cp <= 0x097f) || (cp >= 0xa8e0 && cp <= 0xa8ff) || (cp >= 0x1cd0 && cp <= 0x1cff);
}
/**
 * Characters that stay in the run they follow (both fonts have them), so that a name such as
 * "श्री आर. के. मिश्रा" is one run: one shaping pass and one ActualText span.
 */
function isNeutral(cp: number): boolean {
  return cp === 0x20 || cp === 0x2c || cp === 0x2d || cp === 0x2e || cp === 0x200c || cp === 0x200d || cp === 0x25cc;
}

/** Splits text into runs of one script; exported for the test. */
export function scriptRuns(text: string): Array<{ devanagari: boolean; text: string }> {
  const runs: Array<{ devanagari: boolean; text: string }> = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const last = runs[runs.length - 1];
    const deva = isNeutral(cp) && last ? last.devanagari : isDevanagari(cp);
    if (last && last.devanagari === deva) last.text += ch;
    else runs.push({ devanagari: deva, text: ch });
  }
  return runs;
}

class Writer {
  constructor(
    readonly doc: Doc,
    private readonly width: number,
  ) {}

  /** One paragraph of mixed-script text; `bold` picks the bold faces. */
  text(value: string, opts: { size?: number; bold?: boolean; gap?: number; indent?: number; color?: string } = {}): this {
    const runs = scriptRuns(value.length === 0 ? ' ' : value);
    this.doc.fontSize(opts.size ?? 9).fillColor(opts.color ?? 'black');
    const size = opts.size ?? 9;
    // Every run sits on the Latin font's baseline (the fonts' ascenders differ: 1.069 em against 0.896 em).
    const baseline = -LATIN_ASCENT * size;
    runs.forEach((run, i) => {
      const face: Face = run.devanagari ? (opts.bold ? 'devanagariBold' : 'devanagari') : opts.bold ? 'latinBold' : 'latin';
      this.doc.font(face);
      const continued = i < runs.length - 1;
      // Shaped Devanagari is in visual order (ि before its consonant); ActualText gives copy-paste and
      // text extraction the logical order.
      if (run.devanagari) this.doc.markContent('Span', { actual: run.text });
      if (i === 0)
        this.doc.text(run.text, MARGIN + (opts.indent ?? 0), undefined, {
          width: this.width - (opts.indent ?? 0),
          continued,
          baseline,
          lineGap: LINE_GAP,
        });
      else this.doc.text(run.text, { continued, baseline, lineGap: LINE_GAP });
      if (run.devanagari) this.doc.endMarkedContent();
    });
    if (opts.gap) this.doc.moveDown(opts.gap);
    return this;
  }

  heading(value: string): this {
    this.ensure(60);
    this.doc.moveDown(0.6);
    this.text(value, { size: 12, bold: true });
    const y = this.doc.y + 1;
    this.doc
      .moveTo(MARGIN, y)
      .lineTo(MARGIN + this.width, y)
      .lineWidth(0.5)
      .strokeColor('#888888')
      .stroke();
    this.doc.moveDown(0.4);
    return this;
  }

  field(label: string, value: string, indent = 0): this {
    this.ensure(14);
    return this.text(`${label}: ${value}`, { indent });
  }

  /** A new page if fewer than `points` are left. */
  ensure(points: number): void {
    if (this.doc.y + points > this.doc.page.height - MARGIN) this.doc.addPage();
  }
}

/** Renders the bundle; resolves to the PDF bytes. */
export function renderEvidenceBundlePdf(bundle: EvidenceBundle, fonts: PdfFonts = shippedFonts()): Promise<Buffer> {
  const created = new Date(bundle.generatedAt);
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    compress: true,
    info: {
      Title: `Evidence bundle, seizure ${bundle.seizureId}`,
      Author: `${bundle.server.system} ${bundle.server.version}`,
      Subject: bundle.format,
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

  const w = new Writer(doc, doc.page.width - 2 * MARGIN);
  try {
    cover(w, bundle);
    items(w, bundle);
    timeline(w, bundle);
    seals(w, bundle);
    hashes(w, bundle);
    proofSummary(w, bundle);
    custodyHistory(w, bundle);
    doc.addPage();
    certificate(w, bundle);
    doc.end();
  } catch (error) {
    doc.end();
    return Promise.reject(error instanceof Error ? error : new Error(`the PDF could not be written: ${String(error)}`));
  }
  return done;
}

// ---------------------------------------------------------------------------------------------
// Reading the (opaque JSON) event data defensively: the renderer must print any valid bundle.

type Obj = { [key: string]: JsonValue };
const isObj = (v: JsonValue | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: JsonValue | undefined): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
const arr = (v: JsonValue | undefined): JsonValue[] => (Array.isArray(v) ? v : []);
const named = (v: JsonValue | undefined): string | undefined => {
  if (!isObj(v)) return str(v);
  const name = str(v.name);
  const extra = str(v.designation) ?? str(v.unit) ?? str(v.id);
  return name && extra ? `${name} (${extra})` : (name ?? extra);
};
function compact(v: JsonValue, max = 300): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
function ist(iso: string | undefined): string {
  if (!iso) return '';
  try {
    return formatIst(iso);
  } catch {
    return iso;
  }
}

// ---------------------------------------------------------------------------------------------

function cover(w: Writer, b: EvidenceBundle): void {
  w.text('Evidence bundle', { size: 18, bold: true });
  w.text(`Seizure ${b.seizureId}`, { size: 11, gap: 0.5 });
  w.field('Format', b.format);
  w.field('Stream', `${b.streamName} (${b.events.length} events)`);
  w.field('Generated', ist(b.generatedAt));
  w.field('Produced by', `${b.server.system} ${b.server.version} on ${b.server.host} (${b.server.storeKind} store)`);
  w.field(`Bundle hash (${b.hashAlgorithm})`, b.bundleHash);
  w.text(
    'This document is a printout of the JSON evidence bundle. The JSON is what a verifier checks: ' +
      '`seizure-ledger verify bundle.json --public-key <key>` recomputes every hash and proof shown here.',
    { size: 8, color: '#444444' },
  );

  const first = b.events[0];
  if (first && isObj(first.data)) {
    const d = first.data;
    const loc = isObj(d.location) ? d.location : undefined;
    const rows: Array<[string, string | undefined]> = [
      ['Memo number', str(d.memoNumber)],
      ['Seized at', d.seizedAt !== undefined ? ist(str(d.seizedAt)) : undefined],
      ['Place', str(loc?.place) ?? str(d.place)],
      [
        'District / AC / PC',
        loc
          ? [str(loc.district), str(loc.assemblyConstituency), str(loc.parliamentaryConstituency)].filter(Boolean).join(' / ')
          : undefined,
      ],
      ['Agency / team', [str(d.agency), str(d.team)].filter(Boolean).join(' / ') || undefined],
      ['Magistrate', named(d.magistrate)],
      ['Seizing officer', named(d.seizingOfficer)],
      ['Seized from', named(d.seizedFrom)],
      ['Vehicle', str(d.vehicleNumber)],
      ['Witnesses', arr(d.witnesses).map(named).filter(Boolean).join('; ') || undefined],
      ['Election', electionText(d.election)],
    ];
    const present = rows.filter((r): r is [string, string] => r[1] !== undefined && r[1] !== '');
    if (present.length > 0) {
      w.heading('Seizure');
      for (const [label, value] of present) w.field(label, value);
    }
  }
}

function items(w: Writer, b: EvidenceBundle): void {
  w.heading('Items');
  const first = b.events[0];
  const list = first && isObj(first.data) ? arr(first.data.items).filter(isObj) : [];
  if (list.length === 0) {
    w.text(first && isObj(first.data) ? `As recorded in revision 0: ${compact(first.data, 600)}` : 'No item list in the bundle.');
    return;
  }
  list.forEach((item, i) => {
    w.ensure(40);
    w.text(`${i + 1}. ${str(item.description) ?? str(item.category) ?? 'item'}`, { bold: true });
    const qty = [str(item.quantity), str(item.unit)].filter(Boolean).join(' ');
    const parts = [
      str(item.itemId) ? `id ${str(item.itemId)}` : undefined,
      str(item.category) ? `category ${str(item.category)}` : undefined,
      qty ? `quantity ${qty}` : undefined,
      str(item.packages) ? `${str(item.packages)} package(s)` : undefined,
      arr(item.sealNumbers).length
        ? `seals ${arr(item.sealNumbers)
            .map((s) => str(s))
            .join(', ')}`
        : undefined,
      str(item.estimatedValuePaise) ? `est. value ${str(item.estimatedValuePaise)} paise` : undefined,
    ].filter(Boolean);
    w.text(parts.join(' · '), { indent: 12 });
  });
}

function summary(e: BundledEvent): string {
  const d = e.data;
  if (!isObj(d)) return compact(d);
  const bits: string[] = [];
  const to = named(d.to);
  if (to) bits.push(`to ${to}`);
  const by = named(d.by);
  if (by) bits.push(`by ${by}`);
  const itemIds = arr(d.itemIds)
    .map((x) => str(x))
    .filter(Boolean);
  if (itemIds.length) bits.push(`items ${itemIds.join(', ')}`);
  const sealNumbers = arr(d.sealNumbers)
    .map((x) => str(x))
    .filter(Boolean);
  if (sealNumbers.length) bits.push(`seals ${sealNumbers.join(', ')}`);
  const seals = arr(d.seals)
    .filter(isObj)
    .map((s) => `${str(s.number)} ${str(s.condition) ?? ''}`.trim());
  if (seals.length) bits.push(`seals found ${seals.join(', ')}`);
  const counted = arr(d.countedQuantities)
    .filter(isObj)
    .map((c) => `${str(c.itemId)}: ${str(c.quantity)}`);
  if (counted.length) bits.push(`counted ${counted.join(', ')}`);
  for (const key of ['reason', 'remarks', 'orderNumber', 'treasuryReceipt', 'description', 'place']) {
    const v = str(d[key]);
    if (v) bits.push(`${key} ${v}`);
  }
  if (e.revision === 0 && arr(d.items).length) bits.push(`${arr(d.items).length} item(s) recorded`);
  return bits.length ? bits.join('; ') : compact(d);
}

function timeline(w: Writer, b: EvidenceBundle): void {
  w.heading('Custody timeline');
  for (const e of b.events) {
    w.ensure(40);
    const actor = isObj(e.metadata) ? (str(e.metadata.actorName) ?? str(e.metadata.actor) ?? str(e.metadata.actorSub)) : undefined;
    w.text(`#${e.revision}  ${e.type}  ·  ${ist(e.recordedAt)}${actor ? `  ·  ${actor}` : ''}`, { bold: true });
    w.text(summary(e), { indent: 12, gap: 0.2 });
    const olderRules = olderRulesText(e);
    if (olderRules) w.text(olderRules, { indent: 12, gap: 0.2, size: 8, color: '#8a4b00' });
  }
}

/** The mark of an event stored under older rules, in words; undefined for today's events. */
function olderRulesText(e: EvidenceBundle['events'][number]): string | undefined {
  const mark = e.recordedUnderOlderRules;
  if (!mark) return undefined;
  const findings = mark.findings.length > 0 ? mark.findings.join('; ') : 'nothing needed reading differently';
  return `Recorded under older rules (schema version ${mark.schemaVersion}): ${findings}.`;
}

/** Old rules let an election be left out or stored as a list of one: say so rather than print nothing. */
function electionText(election: JsonValue | undefined): string {
  if (isObj(election)) return named(election) ?? 'not recorded';
  const [only] = arr(election);
  return arr(election).length === 1 && isObj(only) ? (named(only) ?? 'not recorded') : 'not recorded';
}

function seals(w: Writer, b: EvidenceBundle): void {
  w.heading('Seals');
  const rows: string[] = [];
  for (const e of b.events) {
    if (!isObj(e.data)) continue;
    for (const item of arr(e.data.items).filter(isObj)) {
      for (const s of arr(item.sealNumbers)) rows.push(`${str(s)}: applied at #${e.revision} ${e.type} on ${str(item.itemId) ?? 'item'}`);
    }
    for (const s of arr(e.data.sealNumbers)) rows.push(`${str(s)}: handed over at #${e.revision} ${e.type}`);
    for (const s of arr(e.data.seals).filter(isObj))
      rows.push(`${str(s.number)}: found ${str(s.condition) ?? '?'} at #${e.revision} ${e.type}`);
  }
  if (rows.length === 0) w.text('No seals recorded in the events.');
  for (const row of rows) w.field('Seal', row);
}

function hashes(w: Writer, b: EvidenceBundle): void {
  w.heading(`Hashes (${b.hashAlgorithm})`);
  for (const e of b.events) {
    w.ensure(50);
    w.text(`#${e.revision} ${e.type}  (event ${e.id}, global position ${e.globalPosition})`, { bold: true, size: 8 });
    w.text(`hash: ${e.hash}`, { size: 8, indent: 12 });
    w.text(`prevHash: ${e.prevHash}`, { size: 8, indent: 12 });
    w.text(`leaf ${e.inclusion.leafIndex} of ${e.inclusion.treeSize}, audit path of ${e.inclusion.proof.length} hashes`, {
      size: 8,
      indent: 12,
    });
  }
  w.ensure(30);
  w.text(`Bundle hash  ${b.bundleHash}`, { bold: true, size: 8 });
  w.text(`Covers the RFC 8785 canonical JSON of the bundle without ${BUNDLE_HASH_EXCLUDED_FIELDS.join(' and ')}.`, { size: 8 });
}

function proofSummary(w: Writer, b: EvidenceBundle): void {
  w.heading('Proof summary');
  const h = b.treeHead;
  w.field('Log id', h.logId);
  w.field('Tree head size', String(h.treeSize));
  w.field('Root hash', h.rootHash);
  w.field('Signed at', `${h.timestamp} (${ist(h.timestamp)})`);
  w.field('Signature (Ed25519)', h.signature);
  w.field('Public key (base64)', b.publicKey);
  w.field('Inclusion proofs', `${b.events.length} (one per event, each against this head)`);
}

function flatten(value: JsonValue, prefix: string, out: string[]): void {
  if (out.length >= 60) return;
  if (isObj(value)) for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  else if (Array.isArray(value) && value.some((v) => typeof v === 'object' && v !== null))
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  else out.push(`${prefix}: ${compact(value, 200)}`);
}

function custodyHistory(w: Writer, b: EvidenceBundle): void {
  w.heading('Custody history (read model, as in the bundle)');
  const lines: string[] = [];
  flatten(b.custodyHistory, '', lines);
  for (const line of lines) w.text(line, { size: 8 });
  if (lines.length >= 60) w.text('… (truncated; the full history is in the JSON bundle)', { size: 8, color: '#444444' });
}

function certificate(w: Writer, b: EvidenceBundle): void {
  const c = b.certificate;
  const a = c.partA;
  w.text(c.title, { size: 13, bold: true, gap: 0.5 });
  w.text(`Part A (to be filled by ${a.filledBy.toLowerCase()})`, { size: 11, bold: true, gap: 0.3 });
  w.field('Electronic record', a.electronicRecord);
  w.field(
    'Produced by',
    `${a.producedBy.system} ${a.producedBy.version} on ${a.producedBy.host} (${a.producedBy.storeKind} store), log ${a.producedBy.logId}`,
  );
  w.field('Hash algorithm', a.hashAlgorithm);
  w.field('Hash value', a.hashValue);
  w.field('Hash covers', a.hashCovers);
  w.field('Date and time', a.dateTime);
  w.field('Place', a.place);
  w.doc.moveDown(0.4);
  for (const s of [a.statements.producedInOrdinaryUse, a.statements.underLawfulControl, a.statements.workingProperly]) {
    w.ensure(30);
    w.text(`[   ]  ${s.statement}`, { gap: 0.3 });
  }
  w.doc.moveDown(0.5);
  for (const label of ['Name', 'Designation', 'Signature', 'Date', 'Place']) {
    w.ensure(22);
    w.text(`${label}: ${BLANK}`, { gap: 0.6 });
  }
  w.doc.moveDown(0.5);
  w.ensure(200);
  w.text(`Part B (to be filled by ${c.partB.filledBy.toLowerCase()})`, { size: 11, bold: true, gap: 0.3 });
  for (const label of [
    'Name of the expert',
    'Designation',
    'Organisation',
    'Hash algorithm',
    'Hash value',
    'Opinion',
    'Signature',
    'Date',
    'Place',
  ]) {
    w.ensure(22);
    w.text(`${label}: ${BLANK}`, { gap: 0.6 });
  }
}

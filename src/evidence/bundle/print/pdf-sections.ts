/**
 * The sections of the printed bundle, in reading order: the seizure, its items, the custody
 * history (a table per item, then the steps about the seizure as a whole), the appendix with the
 * hashes and proofs, and the Section 63 certificate. Each prints only what the bundle holds.
 */
import { formatIstMinute } from '../../../shared/indian-format';
import type { JsonValue } from '../../../shared/json';
import { BUNDLE_HASH_EXCLUDED_FIELDS, type BundledEvent, type EvidenceBundle } from '../evidence-bundle.format';
import { rowsFor, type CustodyStory, type StoryItem, type StoryRow } from './custody-story';
import { Writer, type TableColumn, type TableRow } from './pdf-writer';
import { isObj, peopleNames, personName, plainText } from './printable';
import { checkpointCosigners } from './cosigners';
import { openedData } from './opened-data';

const BLANK = '_'.repeat(48);

/** The memo number and place of the seizure, as the title and the footers name it. */
export function seizureTitle(b: EvidenceBundle): { memo: string; place: string } {
  const d = b.events[0]?.data;
  if (!isObj(d)) return { memo: 'not recorded', place: 'not recorded' };
  const place = isObj(d.location) ? plainText(d.location.place) : plainText(d.place);
  return { memo: plainText(d.memoNumber) || 'not recorded', place: place || 'not recorded' };
}

const ist = (iso: JsonValue | undefined): string => {
  try {
    return typeof iso === 'string' ? formatIstMinute(iso) : '';
  } catch {
    return plainText(iso);
  }
};

export function cover(w: Writer, b: EvidenceBundle): void {
  const { memo, place } = seizureTitle(b);
  w.text(`Evidence bundle: seizure memo ${memo}, ${place}`, { size: 16, bold: true, gap: 0.3 });
  w.text(`Seizure ${b.seizureId} · ${b.events.length} recorded steps · bundle issued ${ist(b.generatedAt)}`, { size: 9, gap: 0.3 });
  w.text(
    'This document is the print of one JSON evidence bundle; the SHA-256 of that bundle is on the certificate at the end. ' +
      'The JSON is what a verifier checks (`seizure-ledger verify bundle.json`); it is also attached to this PDF. ' +
      'Hashes and proofs are in the appendix.',
    { size: 8, color: '#444444' },
  );
  // The opened values the bundle carries, in place of the commitments of a sealed record.
  const d = b.events[0] ? openedData(b.events[0]) : undefined;
  if (!isObj(d)) return;
  const loc = isObj(d.location) ? d.location : undefined;
  const rows: Array<[string, string]> = [
    ['Memo number', memo],
    ['Seized at', ist(d.seizedAt)],
    ['Place', place],
    [
      'State / district / AC / PC',
      loc ? [loc.state, loc.district, loc.assemblyConstituency, loc.parliamentaryConstituency].map(plainText).join(' / ') : '',
    ],
    ['Agency / team', [plainText(d.agency).replace(/_/g, ' '), plainText(d.team)].filter(Boolean).join(' / ')],
    ['Seizing officer', d.seizingOfficer === undefined ? '' : personName(d.seizingOfficer)],
    ['Magistrate', d.magistrate === undefined ? '' : personName(d.magistrate)],
    ['Seized from', d.seizedFrom === undefined ? '' : personName(d.seizedFrom)],
    ['Vehicle', plainText(d.vehicleNumber)],
    ['Witnesses', d.witnesses === undefined ? '' : peopleNames(d.witnesses)],
    ['Election', isObj(d.election) ? personName(d.election) : 'not recorded'],
  ];
  w.heading('The seizure');
  for (const [label, value] of rows) if (value !== '') w.field(label, value);
}

export function items(w: Writer, story: CustodyStory): void {
  w.heading('Items seized');
  if (story.items.length === 0) {
    w.text('The seizure memo in this bundle lists no items.');
    return;
  }
  const columns: TableColumn[] = [
    { header: '#', weight: 3 },
    { header: 'Item', weight: 22 },
    { header: 'Category', weight: 9 },
    { header: 'Quantity', weight: 12 },
    { header: 'Packages', weight: 7 },
    { header: 'Seals', weight: 12 },
    { header: 'Estimated value', weight: 12 },
  ];
  w.table(
    columns,
    story.items.map((i) => ({ cells: [String(i.number), i.description, i.category, i.quantity, String(i.packages), i.seals, i.value] })),
  );
}

const STEP_COLUMNS: TableColumn[] = [
  { header: 'Step', weight: 4 },
  { header: 'When (IST)', weight: 10 },
  { header: 'Who (name, role, unit)', weight: 16 },
  { header: 'What happened', weight: 30 },
  { header: 'Seals and counts checked', weight: 18 },
];

function stepRow(row: StoryRow, itemId: string | null, older: Map<number, string>): TableRow {
  const what = [row.highlight, row.what, older.get(row.revision)].filter((s): s is string => typeof s === 'string' && s !== '').join('\n');
  const checks = (itemId === null ? undefined : row.checksByItem[itemId]) ?? row.checks;
  return { cells: [`#${row.revision}`, row.when, row.actor, what, checks], highlight: row.highlight !== null };
}

function olderRulesNotes(events: readonly BundledEvent[]): Map<number, string> {
  const notes = new Map<number, string>();
  for (const e of events) {
    const mark = e.recordedUnderOlderRules;
    if (!mark) continue;
    const findings = mark.findings.length > 0 ? mark.findings.join('; ') : 'nothing needed reading differently';
    notes.set(e.revision, `Recorded under older rules (schema version ${mark.schemaVersion}): ${findings}.`);
  }
  return notes;
}

const itemHeading = (i: StoryItem): string => `Item ${i.number}: ${i.description} (${i.category}, ${i.quantity}, seals ${i.seals})`;

export function custody(w: Writer, b: EvidenceBundle, story: CustodyStory): void {
  w.heading('Custody history');
  w.text(
    'One row per recorded step, oldest first, for each item; then the steps about the seizure as a whole. ' +
      'Rows in bold red on a red ground mark a discrepancy or a refused handover.',
    { size: 8, color: '#444444', gap: 0.4 },
  );
  const older = olderRulesNotes(b.events);
  for (const item of story.items) {
    w.ensure(80);
    w.text(itemHeading(item), { size: 10, bold: true, gap: 0.2 });
    w.table(
      STEP_COLUMNS,
      rowsFor(story, item.itemId).map((r) => stepRow(r, item.itemId, older)),
    );
  }
  const general = rowsFor(story, null);
  if (general.length > 0) {
    w.ensure(80);
    w.text(story.items.length > 0 ? 'Steps about the seizure as a whole' : 'Recorded steps', { size: 10, bold: true, gap: 0.2 });
    w.table(
      STEP_COLUMNS,
      general.map((r) => stepRow(r, null, older)),
    );
  }
}

export function appendix(w: Writer, b: EvidenceBundle): void {
  w.doc.addPage();
  w.heading(`Appendix: hashes and proofs (${b.hashAlgorithm})`);
  w.text(
    'Each step is stored with the SHA-256 of its content and of the step before it (a hash chain from step 0), and is a leaf of ' +
      'the ledger’s Merkle log; the inclusion proof of every leaf leads to the root of the signed tree head below.',
    { size: 8, color: '#444444', gap: 0.4 },
  );
  w.table(
    [
      { header: 'Step', weight: 9 },
      { header: 'Event hash / previous hash', weight: 34 },
      { header: 'Log leaf', weight: 9 },
    ],
    b.events.map((e) => ({
      cells: [
        `#${e.revision} ${e.type}\nevent ${e.id}`,
        `${e.hash}\n${e.prevHash}`,
        `leaf ${e.inclusion.leafIndex} of ${e.inclusion.treeSize}; audit path of ${e.inclusion.proof.length} hashes`,
      ],
    })),
    6.5,
  );
  const h = b.treeHead;
  w.heading('Signed tree head', 10);
  w.field('Log id', h.logId);
  w.field('Tree size', String(h.treeSize));
  w.field('Root hash', h.rootHash);
  w.field('Signed at', `${h.timestamp} (${ist(h.timestamp)})`);
  w.field('Signature (Ed25519)', h.signature);
  w.field('Public key (base64)', b.publicKey);
  w.field('Inclusion proofs', `${b.events.length} (one per step, each against this head)`);
  w.heading('The bundle', 10);
  w.field('Format', b.format);
  w.field(`Bundle hash (${b.hashAlgorithm})`, b.bundleHash);
  w.field('Covers', `the RFC 8785 canonical JSON of the bundle without ${BUNDLE_HASH_EXCLUDED_FIELDS.join(' and ')}`);
  w.text(
    'The bundle’s custodyHistory section (the server’s read model of the same steps) is in the JSON; this print tells the story ' +
      'from the steps themselves, which the hashes and proofs cover.',
    { size: 8, color: '#444444' },
  );
}

export function certificate(w: Writer, b: EvidenceBundle): void {
  w.doc.addPage();
  const c = b.certificate;
  const a = c.partA;
  w.text(c.title, { size: 13, bold: true, gap: 0.5 });
  w.text(`Part A (to be filled by ${a.filledBy.toLowerCase()})`, { size: 11, bold: true, gap: 0.3 });
  w.field('Electronic record', a.electronicRecord);
  const p = a.producedBy;
  w.field('Produced by', `${p.system} ${p.version} on ${p.host} (${p.storeKind} store), log ${p.logId}`);
  w.field('Hash algorithm', a.hashAlgorithm);
  // The bundle's own hash: the renderer refused the bundle unless it matched its content.
  w.field('Hash value', b.bundleHash);
  w.field('Hash covers', a.hashCovers);
  w.field('Date and time', a.dateTime);
  w.field('Place', a.place);
  if (b.checkpoint !== undefined) {
    const cosigners = checkpointCosigners(b.checkpoint);
    w.field(
      'Cosigned by witnesses',
      cosigners.length === 0 ? 'none (the checkpoint carries the log’s signature alone)' : cosigners.join('; '),
    );
  }
  w.doc.moveDown(0.4);
  for (const s of [a.statements.producedInOrdinaryUse, a.statements.underLawfulControl, a.statements.workingProperly]) {
    w.ensure(30);
    w.text(`[   ]  ${s.statement}`, { gap: 0.3 });
  }
  w.doc.moveDown(0.5);
  for (const label of ['Name', 'Designation', 'Signature', 'Date', 'Place']) w.text(`${label}: ${BLANK}`, { gap: 0.6 });
  w.doc.moveDown(0.5);
  w.ensure(200);
  w.text(`Part B (to be filled by ${c.partB.filledBy.toLowerCase()})`, { size: 11, bold: true, gap: 0.3 });
  const partB = [
    'Name of the expert',
    'Designation',
    'Organisation',
    'Hash algorithm',
    'Hash value',
    'Opinion',
    'Signature',
    'Date',
    'Place',
  ];
  for (const label of partB) w.text(`${label}: ${BLANK}`, { gap: 0.6 });
}

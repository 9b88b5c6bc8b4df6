import { decimal, type SeizureStatement, type StatementFigures, type StatementRow } from './seizure-statement.query';
import type { StatementCheckpoint } from './seizure-statement.tree-head';

/**
 * The seizure statement as CSV (RFC 4180: CRLF line ends, a header row, fields quoted when they
 * hold a comma, a quote or a line break, quotes doubled).
 *
 * One line per place and period: first every place for the day, then the day's total, then the
 * same for the cumulative figures; `level` says whether a line is a place (state, district,
 * constituency) or a total. Every amount appears twice: in rupees with two decimals for reading,
 * and in integer paise (ml, mg) for exact sums. Place columns the grouping does not use are empty.
 *
 * A published statement ends, after one empty line, with the signed tree head it was computed at:
 * a header row `ledger_tree_head,logId,treeSize,rootHash,timestamp,signature,publicKeyUrl,note`
 * and one row, `signed` with the head's fields (verifiable as they stand), or `none` with empty
 * head fields and the reason in `note`.
 */

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';

/**
 * Excel opens a CSV without a byte-order mark in the local ANSI code page and garbles Devanagari
 * place names; with it, every spreadsheet and CSV parser in use reads UTF-8.
 */
const UTF8_BOM = '\uFEFF';

export const STATEMENT_CSV_COLUMNS = [
  'date',
  'period',
  'level',
  'state',
  'district',
  'constituency',
  'seizures',
  'cash_rupees',
  'cash_paise',
  'liquor_litres',
  'liquor_ml',
  'liquor_rupees',
  'liquor_paise',
  'drugs_kg',
  'drugs_mg',
  'drugs_pieces',
  'drugs_rupees',
  'drugs_paise',
  'precious_metals_kg',
  'precious_metals_mg',
  'precious_metals_rupees',
  'precious_metals_paise',
  'freebies_rupees',
  'freebies_paise',
  'other_rupees',
  'other_paise',
  'total_rupees',
  'total_paise',
] as const;

/** One CSV field, quoted only when RFC 4180 requires it. */
export function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const rupees = (paise: number): string => decimal(paise, 2);

function figureFields(f: StatementFigures): Array<string | number> {
  return [
    f.seizures,
    rupees(f.cash.valuePaise),
    f.cash.valuePaise,
    f.liquor.litres,
    f.liquor.volumeMl,
    rupees(f.liquor.valuePaise),
    f.liquor.valuePaise,
    f.drugs.kg,
    f.drugs.weightMg,
    f.drugs.pieces,
    rupees(f.drugs.valuePaise),
    f.drugs.valuePaise,
    f.preciousMetals.kg,
    f.preciousMetals.weightMg,
    rupees(f.preciousMetals.valuePaise),
    f.preciousMetals.valuePaise,
    rupees(f.freebies.valuePaise),
    f.freebies.valuePaise,
    rupees(f.other.valuePaise),
    f.other.valuePaise,
    rupees(f.totalValuePaise),
    f.totalValuePaise,
  ];
}

export const TREE_HEAD_CSV_COLUMNS = [
  'ledger_tree_head',
  'logId',
  'treeSize',
  'rootHash',
  'timestamp',
  'signature',
  'publicKeyUrl',
  'note',
  // Last, so the columns before keep their places: the key that signed the head, empty for a head from before key rotation.
  'keyId',
] as const;

function treeHeadLines(checkpoint: StatementCheckpoint): Array<ReadonlyArray<string | number | null>> {
  const head = checkpoint.treeHead;
  const row =
    head === null
      ? ['none', null, null, null, null, null, checkpoint.publicKeyUrl, checkpoint.treeHeadNote, null]
      : [
          'signed',
          head.logId,
          head.treeSize,
          head.rootHash,
          head.timestamp,
          head.signature,
          checkpoint.publicKeyUrl,
          null,
          head.keyId ?? null,
        ];
  return [[], TREE_HEAD_CSV_COLUMNS, row];
}

const placeFields = (row: StatementRow): Array<string | number | null> => [row.state, row.district, row.constituency];

/** The statement as CSV; with its checkpoint (a published statement), the tree head rows follow. */
export function statementToCsv(statement: SeizureStatement & Partial<StatementCheckpoint>): string {
  const lines: Array<ReadonlyArray<string | number | null>> = [STATEMENT_CSV_COLUMNS];
  for (const period of ['day', 'cumulative'] as const) {
    for (const row of statement.rows) {
      lines.push([statement.date, period, statement.groupBy, ...placeFields(row), ...figureFields(row[period])]);
    }
    lines.push([statement.date, period, 'total', null, null, null, ...figureFields(statement.total[period])]);
  }
  if (statement.treeHead !== undefined && statement.publicKeyUrl !== undefined) {
    lines.push(
      ...treeHeadLines({
        treeHead: statement.treeHead,
        // The multi-line checkpoint note stays in the JSON statement; the CSV keeps the head's fields.
        checkpoint: null,
        treeHeadNote: statement.treeHeadNote ?? null,
        publicKeyUrl: statement.publicKeyUrl,
      }),
    );
  }
  return UTF8_BOM + lines.map((fields) => fields.map(csvField).join(',') + '\r\n').join('');
}

export const statementCsvFileName = (statement: SeizureStatement): string =>
  `seizure-statement-${statement.date}-by-${statement.groupBy}.csv`;

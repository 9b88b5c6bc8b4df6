import type { FirstDifference } from '../../evidence/ledger-audit/head-audit';
import type { HeadCheck, HeadGroup, LedgerVerification } from '../../evidence/ledger-audit/verify-ledger';
import type { ChainVerification } from '../../ledger/event-store';

// The human-readable report of verify-store: each check says what it proved and against what.

const short = (hex: string): string => `${hex.slice(0, 16)}…`;
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function chainReport(result: ChainVerification, scope: string): string[] {
  const lines = result.ok
    ? [
        `chain: OK — ${plural(result.eventsChecked, 'event')} in ${plural(result.streamsChecked, 'stream')} hash-linked (${scope}). ` +
          'Each event matches its hash and links to the one before it in its stream; this alone cannot show a stream cut at its end ' +
          'or a log rewritten with fresh hashes.',
      ]
    : [
        `chain: BROKEN — ${plural(result.eventsChecked, 'event')} in ${plural(result.streamsChecked, 'stream')} checked (${scope}), ` +
          `${plural(result.problemCount, 'problem')}`,
      ];
  for (const p of result.problems) {
    const where = [
      `stream ${p.streamName}`,
      p.revision !== null && `revision ${p.revision}`,
      p.globalPosition !== null && `position ${p.globalPosition}`,
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(`  ${p.kind.toUpperCase()} at ${where}: ${p.detail}`);
  }
  if (result.problemCount > result.problems.length) lines.push(`  … and ${result.problemCount - result.problems.length} more`);
  return lines;
}

function headName(c: HeadCheck): string {
  if (c.treeSize === null) return c.source;
  return `HEAD of ${plural(c.treeSize, 'event')} signed ${c.timestamp ?? '(no time given)'} (${c.source})`;
}

function differenceText(d: FirstDifference): string {
  if (!d.exact) {
    const from =
      d.fromEvent === null
        ? ''
        : ` (from ${d.fromEvent.streamName} revision ${d.fromEvent.revision} at position ${d.fromEvent.globalPosition} on)`;
    return `the first difference is among leaves ${d.fromLeaf}–${d.toLeaf}${from}: ${d.why}`;
  }
  const headSide =
    d.head.globalPosition === null ? `event ${short(d.head.eventHash)}` : `the event at global position ${d.head.globalPosition}`;
  const logSide =
    d.log === null
      ? 'the log has none'
      : `the log has ${d.log.streamName} revision ${d.log.revision} at position ${d.log.globalPosition} (hash ${short(d.log.eventHash)})`;
  return `first difference at leaf ${d.leafIndex}: the head's tree has ${headSide} there (per the Merkle table, which reproduces the head's root), ${logSide}`;
}

function failureLine(c: HeadCheck): string {
  const problem = (c.problem ?? 'failed').replace(/-/g, ' ').toUpperCase();
  const difference = c.firstDifference === undefined ? '' : `; ${differenceText(c.firstDifference)}`;
  return `  ${headName(c)}: ${problem}: ${c.detail ?? ''}${difference}`;
}

function keyText(g: HeadGroup, origin: 'data-dir' | 'outside'): string {
  if (g.key === null) return 'signatures NOT checked: no public key found';
  const given = g.key.from.startsWith('--public-key');
  // Checked against a key the data dir holds, an outside head only proves what that key signed.
  const caveat = origin === 'outside' && !given ? ' (give --public-key with a key kept outside to check that key too)' : '';
  if (g.key.keys > 1)
    return `signed by ${g.key.keys} keys, each announced by the one before, the current ${short(g.key.logId)} (key id), from ${g.key.from}${caveat}`;
  return `signed by key ${short(g.key.logId)} (log id) from ${g.key.from}${caveat}`;
}

function groupLines(title: string, origin: 'data-dir' | 'outside', g: HeadGroup, leaves: number, moral: string, none: string): string[] {
  if (g.checked === 0 && g.failureCount === 0) return [`${title}: none — ${none}`];
  const largest = g.largestReproduced;
  const vouched =
    largest === null
      ? ''
      : `; the log's first ${plural(largest.treeSize, 'seizure event')} are exactly those the head of ${largest.treeSize} signed ${largest.timestamp ?? ''} committed to` +
        (leaves > largest.treeSize ? ` (the ${leaves - largest.treeSize} after it are vouched for by the chain only)` : '');
  if (g.ok) return [`${title}: OK — ${plural(g.checked, 'head')} checked, ${keyText(g, origin)}${vouched}. ${moral}`];
  const lines = [
    `${title}: BROKEN — ${plural(g.checked, 'head')} checked, ${g.failureCount} failed, ${keyText(g, origin)}${vouched}. ${moral}`,
  ];
  lines.push(...g.failures.map(failureLine));
  if (g.failureCount > g.failures.length) lines.push(`  … and ${g.failureCount - g.failures.length} more`);
  return lines;
}

export function ledgerReport(result: LedgerVerification, scope: string): string {
  const lines = [
    ...chainReport(result.chain, scope),
    ...groupLines(
      'heads in data dir',
      'data-dir',
      result.dataDirHeads,
      result.leaves,
      'These only catch careless edits: whoever can write the data dir can rewrite the log and re-sign them.',
      'no signed tree head is stored (the server signs them while it runs).',
    ),
    ...groupLines(
      'outside heads',
      'outside',
      result.outsideHeads,
      result.leaves,
      'A head kept outside the data dir catches a rewrite even by someone holding the signing key, up to its size.',
      'give heads saved earlier with --head <file>: nothing here rules out a rewrite by someone who holds the data dir and its signing key.',
    ),
  ];
  const failedParts = [
    !result.chain.ok && 'the hash chain',
    !result.dataDirHeads.ok && 'the heads in the data dir',
    !result.outsideHeads.ok && 'the outside heads',
  ].filter(Boolean);
  lines.push(result.ok ? `OK: ${scope}: every check holds` : `BROKEN: ${scope}: ${failedParts.join(', ')} failed`);
  return lines.join('\n');
}

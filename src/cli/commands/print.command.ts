import { writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { EvidenceBundle } from '../../evidence/bundle/evidence-bundle';
import { renderEvidenceBundlePdf } from '../../evidence/bundle/evidence-bundle.pdf';
import { verifyEvidenceBundle } from '../../evidence/verify/bundle.verify';
import { CliCommand, CliFailure, CliIo, EXIT_OK, UsageError } from '../cli-command';
import { publicKeyFrom, readJson } from './verify.command';

const USAGE = `Usage: seizure-ledger print <bundle.json> [-o <bundle.pdf>] [--public-key <base64|file>]

Prints an evidence bundle as the PDF the server gives (the same renderer), offline: no server, no
network. The bundle is checked first, exactly as \`seizure-ledger verify\` checks it (its own SHA-256,
the one the certificate shows, every event hash, the chain, the inclusion proofs and the signed
head); a bundle that fails any check is refused (exit 1) and nothing is written. Without -o the PDF
is written beside the bundle, with .pdf for .json. The PDF carries the JSON bundle as an attachment.
Exits 0 when printed, 1 when refused, 2 on a usage error.`;

function outputPath(io: CliIo, input: string, output: string | undefined): string {
  const chosen = output ?? join(dirname(input), `${basename(input).replace(/\.json$/i, '')}.pdf`);
  return isAbsolute(chosen) ? chosen : resolve(io.cwd, chosen);
}

export const printCommand: CliCommand = {
  name: 'print',
  summary: 'print an evidence bundle as its PDF, offline, after checking it (bundle hash, chain, proofs, head)',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...args],
        options: {
          output: { type: 'string', short: 'o' },
          'public-key': { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
        strict: true,
        allowPositionals: true,
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    if (positionals.length !== 1) throw new UsageError('give exactly one bundle file');
    const publicKey = values['public-key'] !== undefined ? publicKeyFrom(io, values['public-key']) : undefined;
    const bundle = readJson(io, positionals[0], 'bundle') as EvidenceBundle;
    const report = verifyEvidenceBundle(bundle, publicKey ? { publicKey } : {});
    if (!report.ok) {
      const failed = report.checks.filter((c) => !c.ok).map((c) => `  ✗ ${c.check}: ${c.detail}`);
      throw new CliFailure(`${positionals[0]} is not printed: it does not verify\n${failed.join('\n')}`);
    }
    let pdf: Buffer;
    try {
      pdf = await renderEvidenceBundlePdf(bundle);
    } catch (error) {
      throw new CliFailure(`${positionals[0]} is not printed: ${(error as Error).message}`);
    }
    const out = outputPath(io, positionals[0], values.output);
    writeFileSync(out, pdf);
    io.stderr(`printed bundle ${bundle.bundleHash} (${bundle.events.length} events) to ${out}\n`);
    io.stdout(`${out}\n`);
    return EXIT_OK;
  },
};

/**
 * Writes the known-answer vectors of test/vectors/ from the ledger's own code:
 *   npx ts-node --transpile-only test/vectors/generate.ts
 * Deterministic (fixed inputs, fixed keys); vectors.unit.spec.ts fails when a file and the code disagree.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { allVectors } from './known-answers';

async function main(): Promise<void> {
  for (const [name, content] of Object.entries(allVectors())) {
    const file = join(__dirname, name);
    const options = (await resolveConfig(file)) ?? {};
    writeFileSync(file, await format(JSON.stringify(content), { ...options, parser: 'json' }));
    process.stdout.write(`wrote ${name}\n`);
  }
}

void main();

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEIZURE_RULE_CODES } from './errors';

/** Every `violation('code', 'kind', …)` written in the sources, as "code kind". */
function thrownInSources(dir: string): Set<string> {
  const thrown = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) thrownInSources(path).forEach((pair) => thrown.add(pair));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
      for (const m of readFileSync(path, 'utf8').matchAll(/(?:violation|SeizureRuleViolation)\(\s*'([a-z-]+)',\s*'([a-z_]+)'/g))
        thrown.add(`${m[1]} ${m[2]}`);
    }
  }
  return thrown;
}

describe('seizure rule codes', () => {
  it('list exactly the codes, with their kinds, that the sources throw', () => {
    const listed = Object.entries(SEIZURE_RULE_CODES).flatMap(([code, kinds]) => kinds.map((kind) => `${code} ${kind}`));
    expect([...thrownInSources(join(__dirname, '..'))].sort()).toEqual(listed.sort());
  });
});

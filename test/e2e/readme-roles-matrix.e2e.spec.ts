import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLES, type Role } from '../../src/shared/actor';
import { startE2eApp, type E2eApp } from '../support/e2e-app';
import { routesOf, type RouteInfo } from '../support/route-metadata';

/**
 * The README's "Who can do what" table is what operators and auditors read to grant roles: it is
 * held to every route's own @Roles()/@Public() metadata, so a route added or re-roled without
 * updating the table fails here.
 */

const README = join(__dirname, '..', '..', 'README.md');
const START = '<!-- roles-matrix:start -->';
const END = '<!-- roles-matrix:end -->';

interface MatrixRow {
  route: string;
  /** 'public' for routes anyone may call without a token, else the roles ticked. */
  access: 'public' | readonly Role[];
}

/** The table between the markers: `route | what | one cell per role`, ✓ or empty, or *no token* in the first role cell. */
function readMatrix(markdown: string): { header: string[]; rows: MatrixRow[] } {
  const start = markdown.indexOf(START);
  const end = markdown.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} block`);
  const lines = markdown
    .slice(start + START.length, end)
    .trim()
    .split('\n');
  const cells = (line: string): string[] =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((c) => c.trim());
  const header = cells(lines[0]);
  const rows = lines.slice(2).map((line) => {
    const [route, , ...roleCells] = cells(line);
    const name = route.replace(/^`|`$/g, '');
    if (roleCells[0] === '*no token*') return { route: name, access: 'public' as const };
    const ticked = roleCells.map((cell, i) => (cell === '✓' ? header[i + 2] : undefined)).filter((r) => r !== undefined);
    return { route: name, access: ticked as Role[] };
  });
  return { header, rows };
}

/** What the metadata says the row must be: @Public() routes need no token, routes without @Roles() are open to every role. */
function expectedAccess(route: RouteInfo): MatrixRow['access'] {
  if (route.public) return 'public';
  return route.roles === undefined ? [...ROLES] : ROLES.filter((role) => route.roles?.includes(role));
}

describe('README: the roles × routes table matches the routes (e2e)', () => {
  let e2e: E2eApp;

  beforeAll(async () => {
    e2e = await startE2eApp();
  });
  afterAll(async () => {
    await e2e.close();
  });

  it('has one column per role, in the order roles are declared', () => {
    const { header } = readMatrix(readFileSync(README, 'utf8'));
    expect(header).toEqual(['route', 'what it does', ...ROLES]);
  });

  it('lists every route once, with exactly the roles (or no token) the route declares', () => {
    const { rows } = readMatrix(readFileSync(README, 'utf8'));
    const routes = routesOf(e2e.app);
    const documented = new Map(rows.map((row) => [row.route, row.access]));
    expect(rows.length).toBe(documented.size);

    const actual = new Map(routes.map((route) => [`${route.method} ${route.path}`, expectedAccess(route)]));
    // Compared as whole maps so one failure shows every row to fix.
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(actual));
  });

  it('would notice a drift: a role taken away from one route no longer matches', () => {
    const markdown = readFileSync(README, 'utf8');
    const confirmRow = /^\| `POST \/seizures\/:seizureId\/deposits\/:challanNumber\/confirm` .*$/m;
    const tampered = markdown.replace(confirmRow, (line) => line.replace('✓', ' '));
    expect(tampered).not.toBe(markdown);
    const row = readMatrix(tampered).rows.find((r) => r.route === 'POST /seizures/:seizureId/deposits/:challanNumber/confirm');
    expect(row?.access).toEqual([]);
  });
});

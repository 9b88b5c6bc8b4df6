import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peerInstalled, peerPackageVersion, requirePeer } from '../../bench/support/peer-install';

/** The peer is found in its own folder's node_modules only, and only once both of its packages are there. */
describe('the bench peer install', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-peer-'));
    writeFileSync(join(dir, 'package.json'), '{"name":"peer","private":true}');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function fakePackage(name: string, version: string, main: string): void {
    const folder = join(dir, 'node_modules', ...name.split('/'));
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ name, version, main: 'index.js' }));
    writeFileSync(join(folder, 'index.js'), main);
  }

  it('counts as installed only when Emmett SQLite and sqlite3 both are', () => {
    expect(peerInstalled(dir)).toBe(false);
    fakePackage('@event-driven-io/emmett-sqlite', '0.38.5', 'module.exports = {};');
    expect(peerInstalled(dir)).toBe(false);
    fakePackage('sqlite3', '5.1.7', "module.exports = { VERSION: '3.0.0-fake' };");
    expect(peerInstalled(dir)).toBe(true);
  });

  it("loads the peer's modules and versions from the peer's folder", () => {
    fakePackage('sqlite3', '5.1.7', "module.exports = { VERSION: '3.0.0-fake' };");
    fakePackage('@event-driven-io/emmett-sqlite', '0.38.5', 'module.exports = { fake: true };');
    expect(requirePeer<{ VERSION: string }>('sqlite3', dir).VERSION).toBe('3.0.0-fake');
    expect(requirePeer<{ fake: boolean }>('@event-driven-io/emmett-sqlite', dir).fake).toBe(true);
    expect(peerPackageVersion('@event-driven-io/emmett-sqlite', dir)).toBe('0.38.5');
  });
});

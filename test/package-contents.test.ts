import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..');
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** What `npx projen package` would put into the tarball, from scripts/pack.mjs itself. */
function released(): { files: string[]; packageJson: Record<string, unknown> } {
  if (!existsSync(join(root, 'lib', 'index.js'))) throw new Error('lib/ is not built: run `npm install`, which builds it');
  const r = spawnSync('node', ['scripts/pack.mjs', '--dry-run'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scripts/pack.mjs --dry-run failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('the package users install', () => {
  let pack: ReturnType<typeof released>;
  beforeAll(() => { pack = released(); }, 120_000);

  it('is packed with one line said, not an npm notice per file (npx projen package)', () => {
    const out = mkdtempSync(join(tmpdir(), 'stepwright-pack-test-'));
    try {
      const r = spawnSync('node', ['scripts/pack.mjs', '--out', out], { cwd: root, encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout.split('\n')).toEqual([expect.stringMatching(/^packed .*stepwright-[\d.]+\.tgz: \d+ files, [\d.]+ MB \([\d.]+ MB unpacked\)$/), '']);
      expect(readdirSync(out)).toEqual([expect.stringMatching(/^stepwright-[\d.]+\.tgz$/)]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);

  it('cannot be packed from the repository root: npm pack there refuses and names npx projen package', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json'], { cwd: root, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('Run `npx projen package` instead');
  }, 120_000);

  it('holds lib/, the src/ file each compiled file comes from, the console\'s bundled page, the vitest declarations, README.md, API.md and LICENSE, and nothing else', () => {
    const lib = pack.files.filter((f) => f.startsWith('lib/'));
    expect(lib).toContain('lib/index.js');
    expect(lib).toContain('lib/cli/main.js');
    // The console's page is one bundle esbuild makes from console/app/ at compile (no src/ file of its own), shipped as it is.
    expect(lib).toEqual(expect.arrayContaining(['lib/console/app.js', 'lib/console/style.css']));
    // So is the bundle of the entry points (lib/entry, made from lib/ at compile; its map points at src/).
    expect(lib).toEqual(expect.arrayContaining(['lib/entry/stepwright.js', 'lib/entry/stepwright.js.map', 'lib/entry/testing.js']));
    const sources = lib.filter((f) => f.endsWith('.js') && !f.startsWith('lib/console/') && !f.startsWith('lib/entry/')).map((f) => f.replace(/^lib\//, 'src/').replace(/\.js$/, '.ts'));
    expect(sources.filter((f) => !pack.files.includes(f))).toEqual([]);
    expect(pack.files.filter((f) => !f.startsWith('lib/') && !f.startsWith('src/'))).toEqual(['API.md', 'LICENSE', 'README.md', 'package.json', 'types/vitest.d.ts', 'types/vitest4.d.ts']);
    expect(pack.files.filter((f) => f.endsWith('.tsbuildinfo'))).toEqual([]);
  });

  it('has a package.json with no scripts, devDependencies, jest block or install-script approvals', () => {
    for (const field of ['scripts', 'devDependencies', 'jest', 'allowScripts', 'devEngines']) expect(pack.packageJson).not.toHaveProperty(field);
  });

  it('depends on what the library needs at run time only: the root dependencies, with aws-cdk-lib and constructs as peers', () => {
    expect(pack.packageJson.dependencies).toEqual(rootPackage.dependencies);
    expect(pack.packageJson.peerDependencies).toEqual(rootPackage.peerDependencies);
    const peers = Object.keys(rootPackage.peerDependencies);
    const devOnly = Object.keys(rootPackage.devDependencies).filter((d) => !peers.includes(d));
    expect(devOnly.filter((d) => Object.hasOwn(pack.packageJson.dependencies as object, d))).toEqual([]);
  });

  it('keeps the entry points and the stepwright command', () => {
    expect(pack.packageJson).toMatchObject({ name: 'stepwright', version: rootPackage.version, exports: rootPackage.exports, bin: rootPackage.bin, engines: { node: '>=20' } });
  });
});

// Packs the npm tarball users install (dist/js/stepwright-<version>.tgz) from a staging folder
// that holds only what a user needs: the compiled lib/, the src/ its source maps point at (so a
// stack trace into stepwright opens a real file), types/ (declarations for vitest), README.md, API.md, LICENSE, and a package.json
// without the contributors' scripts, devDependencies, jest block or install-script approvals.
// Packing the repository root instead would ship all of those, so the root's `prepack` refuses
// (`npm pack` and `npm publish` there fail and point here).
//
//   node scripts/pack.mjs             writes dist/js/stepwright-<version>.tgz (`npx projen package`) and
//                                     prints one line: the file, how many files it holds, its size
//   node scripts/pack.mjs --out <dir> the same, into <dir>
//   node scripts/pack.mjs --dry-run   prints { files, packageJson }: what the tarball would hold, writes nothing
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = process.cwd();
const dryRun = process.argv.includes('--dry-run');
const outAt = process.argv.indexOf('--out');
const dest = outAt > 0 && process.argv[outAt + 1] ? resolve(process.argv[outAt + 1]) : join(root, 'dist', 'js');

if (!existsSync(join(root, 'lib', 'index.js'))) {
  console.error('pack: lib/ is not built; run `npm install` (it builds lib/) or `npx projen compile` first');
  process.exit(1);
}

/** package.json fields a user's install reads; everything else is for contributors. */
const PUBLISHED_FIELDS = [
  'name', 'version', 'description', 'keywords', 'license', 'author', 'repository', 'homepage', 'bugs',
  'bin', 'main', 'types', 'exports', 'typesVersions', 'engines',
  'dependencies', 'peerDependencies', 'peerDependenciesMeta', 'publishConfig',
];

// Each pack stages in a folder of its own, so two never meet.
const stage = mkdtempSync(join(tmpdir(), 'stepwright-pack-'));

try {
  const isShipped = (src) => !src.endsWith('.tsbuildinfo');
  cpSync(join(root, 'lib'), join(stage, 'lib'), { recursive: true, filter: isShipped });
  cpSync(join(root, 'src'), join(stage, 'src'), { recursive: true });
  // The hand-written declarations of the types-only exports (stepwright/testing/vitest).
  cpSync(join(root, 'types'), join(stage, 'types'), { recursive: true });
  for (const file of ['README.md', 'API.md', 'LICENSE']) cpSync(join(root, file), join(stage, file));

  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const published = { files: ['lib/', 'src/', 'types/', 'API.md'] };
  for (const field of PUBLISHED_FIELDS) if (pkg[field] !== undefined) published[field] = pkg[field];
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);

  // --ignore-scripts: the staged package has no scripts of its own, and this must never rebuild.
  // --json: npm then lists the tarball's files in its answer, not as a `npm notice` line each on
  // standard error (1,800 of them); one line says what was packed.
  const pack = (...args) => {
    try {
      return JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', ...args], {
        cwd: stage, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'],
      }))[0];
    } catch (e) {
      process.stderr.write(`pack: npm pack failed: ${e.stderr || e.message}\n`);
      process.exit(1);
    }
  };
  if (dryRun) {
    const packed = pack('--dry-run');
    process.stdout.write(`${JSON.stringify({ files: packed.files.map((f) => f.path).sort(), packageJson: published }, null, 2)}\n`);
  } else {
    mkdirSync(dest, { recursive: true });
    const packed = pack('--pack-destination', dest);
    const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    console.log(`packed ${join(dest, packed.filename)}: ${packed.entryCount} files, ${mb(packed.size)} (${mb(packed.unpackedSize)} unpacked)`);
  }
} finally {
  rmSync(stage, { recursive: true, force: true });
}

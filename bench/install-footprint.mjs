// `npx projen bench:install`: what installing stepwright adds to a new CDK app. Packs the tarball
// (scripts/pack.mjs), installs aws-cdk-lib and constructs alone into a temp app, then the tarball,
// then the optional peers too (what `stepwright mcp`, `--endpoint` and recording from AWS load),
// and prints the packages and megabytes each step adds, and which of stepwright's dependencies
// brought them. Needs the npm registry (or its cache: installs try --prefer-offline first).
//
//   node bench/install-footprint.mjs [path/to/stepwright-x.y.z.tgz]   (default: packs one)
//   node bench/install-footprint.mjs --summary <tgz>                   one line, for scripts/consumer-check.sh
//   node bench/install-footprint.mjs --prepare <dir>                   installs the CDK app alone into <dir>
//   node bench/install-footprint.mjs --summary --base <dir> <tgz>      measures from the app --prepare made
//
// --prepare and --base split the run in two for CI (scripts/consumer-check.sh --prepare): the CDK
// app is installed while the tests run, and only the tarball after the build. The app is measured
// when the tarball is installed, as without them, so the figures are the same; <dir> is the
// caller's to remove.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { answerHelp } from './cli-options.mjs';

answerHelp();

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const summary = args.includes('--summary');
/** The value of an option that takes one (`--prepare <dir>`, `--base <dir>`). */
function valueOf(option) {
  const at = args.indexOf(option);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${option} needs a folder`);
  return path.resolve(value);
}
const prepareIn = valueOf('--prepare');
const baseIn = valueOf('--base');
const given = args.find((a, i) => !a.startsWith('--') && !['--prepare', '--base'].includes(args[i - 1]));

/** The CDK app's own dependencies: the versions examples/getting-started pins. */
const example = JSON.parse(fs.readFileSync(path.join(root, 'examples', 'getting-started', 'package.json'), 'utf8'));
const CDK = ['aws-cdk-lib', 'constructs'].map((name) => `${name}@${example.devDependencies[name]}`);

function tarball() {
  if (given) return path.resolve(given);
  execFileSync(process.execPath, [path.join(root, 'scripts', 'pack.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  return path.join(root, 'dist', 'js', `${pkg.name}-${pkg.version}.tgz`);
}

/**
 * npm install, first from npm's cached package lists, then, if that fails, asking the registry
 * afresh: a cached list older than a release a dependency now asks for fails with ETARGET however
 * often it is tried offline (as scripts/consumer-check.sh found on CI).
 */
function npmInstall(dir, specs) {
  const run = (freshness) => execFileSync('npm', ['install', '--no-audit', '--no-fund', freshness, '--loglevel=error', '--save-exact', ...specs], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    run('--prefer-offline');
  } catch {
    run('--prefer-online');
  }
}

/** Disk use of a folder, as `du` counts it (blocks, links not followed). */
function diskUse(dir) {
  let bytes = 0;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop();
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const st = fs.lstatSync(p);
      bytes += st.blocks * 512;
      if (e.isDirectory()) stack.push(p);
    }
  }
  return bytes;
}

/** The installed packages, from the lock file: location → { name, deps }. */
function installed(dir) {
  const lock = JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
  const packages = new Map();
  for (const [where, entry] of Object.entries(lock.packages ?? {})) {
    if (where === '' || entry.link) continue;
    const name = entry.name ?? where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length);
    packages.set(where, { name, deps: [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.optionalDependencies ?? {}), ...Object.keys(entry.peerDependencies ?? {})] });
  }
  return packages;
}

/** Where Node finds `name` from the package at `from` (its own node_modules, then each parent's). */
function resolve(packages, from, name) {
  let base = from;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (packages.has(candidate)) return candidate;
    if (!base) return undefined;
    const up = base.lastIndexOf('/node_modules/');
    base = up < 0 ? '' : base.slice(0, up);
  }
}

/** Every package reached from `start` (itself included). */
function closure(packages, start) {
  const seen = new Set();
  const todo = [start];
  while (todo.length) {
    const at = todo.pop();
    if (!at || seen.has(at)) continue;
    seen.add(at);
    for (const dep of packages.get(at).deps) todo.push(resolve(packages, at, dep));
  }
  return seen;
}

function measure(dir) {
  const packages = installed(dir);
  return { packages, count: packages.size, bytes: diskUse(path.join(dir, 'node_modules')) };
}

const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

/** The packages `after` has that `before` had not, grouped by the top-level dependency of stepwright that brings them. */
function attribute(before, after, dir) {
  const added = [...after.packages.keys()].filter((where) => !before.packages.has(where));
  const sw = 'node_modules/stepwright';
  const tops = after.packages.get(sw).deps.map((d) => resolve(after.packages, sw, d)).filter((w) => w && added.includes(w));
  const reachedBy = new Map(added.map((w) => [w, []]));
  for (const top of tops) for (const w of closure(after.packages, top)) reachedBy.get(w)?.push(after.packages.get(top).name);
  const groups = new Map();
  for (const w of added) {
    const by = reachedBy.get(w);
    const key = w === sw ? 'stepwright itself' : by.length === 1 ? by[0] : by.length === 0 ? '(other)' : `(shared by ${by.length} of them)`;
    const g = groups.get(key) ?? { count: 0, bytes: 0 };
    g.count += 1;
    g.bytes += diskUse(path.join(dir, w));
    // A package's own nested node_modules are counted as their own packages.
    const nested = path.join(dir, w, 'node_modules');
    if (fs.existsSync(nested)) g.bytes -= diskUse(nested) + fs.lstatSync(nested).blocks * 512;
    groups.set(key, g);
  }
  return [...groups].sort((a, b) => b[1].bytes - a[1].bytes);
}

/** A new CDK app in `dir`: aws-cdk-lib and constructs alone. */
function cdkApp(dir) {
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'footprint', private: true }, null, 2)}\n`);
  npmInstall(dir, CDK);
}

if (prepareIn) {
  fs.mkdirSync(prepareIn, { recursive: true });
  cdkApp(prepareIn);
  process.exit(0);
}

const tgz = tarball();
const app = baseIn ?? fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-footprint-'));
try {
  if (!baseIn) cdkApp(app);
  else if (fs.existsSync(path.join(app, 'node_modules', 'stepwright'))) throw new Error(`${app} already holds stepwright: give --base the folder --prepare made, once`);
  const base = measure(app);
  npmInstall(app, [tgz]);
  const withSw = measure(app);
  const published = JSON.parse(execFileSync('tar', ['-xOzf', tgz, 'package/package.json'], { encoding: 'utf8' }));
  const optional = Object.entries(published.peerDependencies ?? {})
    .filter(([name]) => published.peerDependenciesMeta?.[name]?.optional)
    .map(([name, range]) => `${name}@${range}`);
  const delta = (a, b) => `+${b.count - a.count} packages, +${mb(b.bytes - a.bytes)}`;
  if (summary) {
    console.log(`install footprint: a CDK app (${CDK.join(' ')}) ${base.count} packages, ${mb(base.bytes)}; with stepwright ${withSw.count} packages, ${mb(withSw.bytes)} (${delta(base, withSw)})`);
  } else {
    console.log(`Install footprint (${path.basename(tgz)}, node_modules on disk)`);
    console.log(`  a new CDK app (${CDK.join(', ')}): ${base.count} packages, ${mb(base.bytes)}`);
    console.log(`  + stepwright: ${withSw.count} packages, ${mb(withSw.bytes)} (${delta(base, withSw)})`);
    for (const [key, g] of attribute(base, withSw, app)) console.log(`      ${key.padEnd(36)} ${String(g.count).padStart(4)} packages ${mb(g.bytes).padStart(10)}`);
    if (optional.length) {
      npmInstall(app, optional);
      const all = measure(app);
      console.log(`  + every optional peer (${optional.map((o) => o.slice(0, o.lastIndexOf('@'))).join(', ')}): ${all.count} packages, ${mb(all.bytes)} (${delta(withSw, all)})`);
    }
  }
} finally {
  if (!baseIn) fs.rmSync(app, { recursive: true, force: true });
}

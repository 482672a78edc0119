import * as fs from 'node:fs';
import { generatedCases, throughDoors } from './through-doors';

/*
 * Generated machines through every door (jest, stepwright run, serve, MCP), many at a time:
 * `node -r ts-node/register/transpile-only test/cases/generated/run.ts --seed 7 --runs 2000 [--out dir]`.
 * Needs lib/ built (`npx projen compile`). Prints each difference and, with --out, writes each
 * differing case as a corpus file to shrink by hand and keep in test/cases/corpus.
 */

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} takes a whole number, got ${process.argv[at + 1]}`);
  return value;
}

async function main(): Promise<void> {
  const seed = flag('seed', Date.now() % 1_000_000);
  const runs = flag('runs', 200);
  const batch = flag('batch', 50);
  const outAt = process.argv.indexOf('--out');
  const out = outAt < 0 ? undefined : process.argv[outAt + 1];
  if (out) fs.mkdirSync(out, { recursive: true });
  const all = generatedCases(seed, runs);
  const statuses = new Map<string, number>();
  let differing = 0;
  for (let at = 0; at < all.length; at += batch) {
    // serve reads every case's MockConfigFile at start: one server per batch keeps it small.
    await throughDoors(all.slice(at, at + batch), (r) => {
      const key = Object.entries(r.statuses).map(([d, s]) => `${d}=${s}`).join(' ');
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
      if (r.differences.length === 0) return;
      differing++;
      console.log(`${r.case.id}:\n${r.differences.map((d) => `  ${d.key}: ${d.detail}`).join('\n')}`);
      if (out) {
        const { id: _, expect: __, ...rest } = r.case;
        fs.writeFileSync(`${out}/${r.case.id}.json`, `${JSON.stringify({ ...rest, expect: { status: r.statuses.jest } }, null, 2)}\n`);
      }
    });
  }
  console.log(`seed ${seed}: ${all.length} machines through 4 doors, ${differing} with differences`);
  for (const [k, n] of [...statuses].sort((a, b) => b[1] - a[1])) console.log(`  ${n} × ${k}`);
  process.exitCode = differing > 0 ? 1 : 0;
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 2; });

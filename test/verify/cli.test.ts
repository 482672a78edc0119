import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exploreClock } from '../../src/explore/context';
import { cli } from '../cli/run-cli';

/*
 * `stepwright verify`: the property module's exports by name, the verdicts as text or as one JSON
 * object keyed by property name, and a VIOLATED counterexample that `stepwright run --input …
 * --mocks …` reproduces.
 */

let realNow: () => number;
beforeAll(() => {
  realNow = exploreClock.now;
  exploreClock.now = () => 0;
});
afterAll(() => { exploreClock.now = realNow; });

const ORDER = path.resolve(__dirname, '../docs/guides/explore/order.asl.json');
const fixture = (name: string) => path.join(__dirname, 'fixtures', name);

interface Verdicts {
  [name: string]: { verdict: string; reason: string; counterexample?: { input: unknown; mocks: Record<string, unknown>; path: string[] } };
}

describe('stepwright verify', () => {
  it('prints one JSON object keyed by property name and exits 1 when a property is VIOLATED', async () => {
    const r = await cli('verify', ORDER, '--property', fixture('order.properties.js'), '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.out) as Verdicts;
    expect(Object.keys(out)).toEqual(['neverAudit', 'neverReview', 'chargesOnce', 'succeedsOrDeclines']);
    expect(out.neverAudit.verdict).toBe('HOLDS');
    expect(out.chargesOnce.verdict).toBe('HOLDS');
    expect(out.neverReview.verdict).toBe('VIOLATED');
    expect(out.succeedsOrDeclines.verdict).toBe('VIOLATED');
  });

  it('gives a counterexample that stepwright run reproduces from its input and mocks', async () => {
    const out = JSON.parse((await cli('verify', ORDER, '--property', fixture('order.properties.js'), '--json')).out) as Verdicts;
    const c = out.neverReview.counterexample!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-cli-'));
    try {
      const mocks = path.join(dir, 'mocks.json');
      fs.writeFileSync(mocks, JSON.stringify(c.mocks));
      const run = await cli('run', ORDER, '--input', JSON.stringify(c.input), '--mocks', mocks, '--json');
      const result = JSON.parse(run.out) as { path: string[] };
      expect(result.path).toEqual(c.path);
      expect(result.path).toContain('Review');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 0 when nothing is VIOLATED, printing each verdict and reason', async () => {
    const r = await cli('verify', ORDER, '--property', fixture('holding.properties.js'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/HOLDS\s+neverAudit: 'Audit' is never entered/);
    expect(r.out).toMatch(/HOLDS\s+reviewLeadsToShip/);
  });

  it('refuses a malformed property with exit code 2, naming the module and the property', async () => {
    const r = await cli('verify', ORDER, '--property', fixture('bad.properties.js'));
    expect(r.code).toBe(2);
    expect(r.err).toContain("property 'bad' (atMost): times must be an integer >= 0, got -2");
  });

  it('refuses a missing --property and a property module that is not a file, with exit code 2', async () => {
    expect((await cli('verify', ORDER)).code).toBe(2);
    const r = await cli('verify', ORDER, '--property', path.join(__dirname, 'fixtures'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('not a regular file');
  });
});

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { contractOf, modelIndex } from '../../src/contracts';
import { loadedServices } from '../../src/contracts/sdk-models';

const ROOT = path.join(__dirname, '..', '..');
const DATA = path.join(ROOT, 'src', 'contracts', 'data');

/** A table's content: gzip's bytes may differ between zlib versions, what they hold may not. */
function content(file: string): string {
  const bytes = fs.readFileSync(file);
  return file.endsWith('.gz') ? zlib.gunzipSync(bytes).toString('utf-8') : bytes.toString('utf-8');
}

describe('service contract tables', () => {
  it('are what the generator writes from the pinned models (npx projen contracts)', () => {
    // aws-sdk is a devDependency: it is always installed where the tests run, so this never skips.
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-'));
    try {
      execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'scripts/generate-service-contracts.ts', '--out', out], { cwd: ROOT, stdio: 'pipe' });
      const generated = fs.readdirSync(out).sort();
      expect(fs.readdirSync(DATA).sort()).toEqual(generated);
      const drifted = generated.filter((f) => content(path.join(out, f)) !== content(path.join(DATA, f)));
      expect(drifted).toEqual([]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);

  it('record the model package and version they come from', () => {
    const installed = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'aws-sdk', 'package.json'), 'utf-8')) as { version: string };
    expect(modelIndex().models).toEqual({ package: 'aws-sdk', version: installed.version });
    expect(Object.keys(modelIndex().services).length).toBeGreaterThan(300);
  });

  it('stay under 2 MB on disk for every service together', () => {
    const bytes = fs.readdirSync(DATA).reduce((sum, f) => sum + fs.statSync(path.join(DATA, f)).size, 0);
    expect(bytes).toBeLessThan(2_000_000);
  });

  it('read only the tables of the services asked for', () => {
    contractOf('arn:aws:states:::aws-sdk:dynamodb:getItem');
    const loaded = loadedServices();
    expect(loaded).toContain('dynamodb');
    expect(loaded).not.toContain('ec2');
  });
});

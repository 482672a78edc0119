import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/*
 * bench/explore-corpus.mjs where the old corpus (../shared, or the folder STEPWRIGHT_SHARED names)
 * is not there: the summary on standard output says the old corpus was not measured and why, so a
 * figure quoted from the summary alone cannot be taken for a measurement, and names no path of
 * the machine it ran on. It needs the built lib/ (`npx projen compile`), as the bench does.
 */

const ROOT = path.join(__dirname, '..', '..');

function summary(shared: string): { stdout: string; status: number | null } {
  const run = spawnSync(process.execPath, ['bench/explore-corpus.mjs', '--corpus', 'old'], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, STEPWRIGHT_SHARED: shared },
  });
  return { stdout: run.stdout, status: run.status };
}

describe('the explore corpus bench without the old corpus', () => {
  it('says on standard output that the old corpus was not measured when its folder is not there', () => {
    const missing = path.join(os.tmpdir(), `stepwright-no-shared-${process.pid}`);
    const { stdout, status } = summary(missing);
    expect(status).toBe(0);
    expect(stdout).toContain('old corpus: not measured: the folder STEPWRIGHT_SHARED names not found');
    expect(stdout).not.toContain(missing);
  });

  it('names the corpus folder missing inside a shared folder that is there', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-half-shared-'));
    try {
      fs.mkdirSync(path.join(dir, 'cdk-templates'));
      const { stdout } = summary(dir);
      expect(stdout).toContain('old corpus: not measured: the folder STEPWRIGHT_SHARED names/validation/realworld not found');
      expect(stdout).not.toContain(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Runs the pytest fixture of docs/migrate-from-step-functions-local.md (a `stepwright serve`
// subprocess in place of the container) with pytest and boto3, where they are installed.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');
const PYTHON = process.env.PYTHON ?? 'python3';
const available = spawnSync(PYTHON, ['-c', 'import pytest, boto3'], { stdio: 'ignore' }).status === 0;
const withPytest = available ? it : it.skip;

withPytest(`runs the guide's pytest suite against stepwright serve${available ? '' : ' (skipped: python3 with pytest and boto3 is not installed)'}`, () => {
  const run = spawnSync(PYTHON, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', path.join(__dirname, 'sfn-local', 'python')], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    // The guide says `npx stepwright`; here the server runs from the sources.
    env: { ...process.env, STEPWRIGHT: `${process.execPath} ${path.join(ROOT, 'test', 'server', 'fixtures', 'serve-child.js')}`, PYTHONDONTWRITEBYTECODE: '1' },
  });
  expect(`${run.stdout}${run.stderr}`).toMatch(/\b2 passed\b/);
  expect(run.status).toBe(0);
}, 150_000);

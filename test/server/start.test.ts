import { execFile } from 'node:child_process';
import * as path from 'node:path';

const FIXTURE = path.join(__dirname, 'fixtures', 'loaded-at-start.js');

/** The src/ modules a fresh server process has loaded once it has answered (see the fixture). */
function loadedModules(args: string[] = []): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [FIXTURE, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as string[]);
    });
  });
}

const heavy = (files: string[]) => files.filter((f) => f.startsWith('asl/validate/') || f.startsWith('interpreter/') || f.startsWith('asl/jsonata'));

describe('serve: start', () => {
  it('answers its first request without loading the validator, the interpreter or JSONata', async () => {
    const loaded = await loadedModules();
    expect(loaded).toContain('server/service.ts');
    expect(heavy(loaded)).toEqual([]);
  }, 30_000);

  it('loads the validator and the interpreter when a state machine is created', async () => {
    expect(await loadedModules(['--create'])).toEqual(expect.arrayContaining(['asl/validate/index.ts', 'interpreter/state-machine.ts']));
  }, 30_000);
});

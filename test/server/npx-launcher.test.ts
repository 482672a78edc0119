import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { client } from '../../src/server';

const SERVE_CHILD = path.join(__dirname, 'fixtures', 'serve-child.js');

/** Resolves when the process is gone (bounded: false after `ms`). */
function gone(pid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  return new Promise((resolve) => {
    const look = (): void => {
      try {
        process.kill(pid, 0);
      } catch {
        resolve(true);
        return;
      }
      if (Date.now() > end) resolve(false);
      else setTimeout(look, 20);
    };
    look();
  });
}

// The server's pid is found in /proc: the test needs Linux.
const onLinux = fs.existsSync('/proc/self/cmdline');
const linuxIt = onLinux ? it : it.skip;

describe('stepwright serve started by npx', () => {
  let dir: string;
  beforeEach(() => {
    // A project whose local bin is stepwright from these sources: npx runs it as it runs an installed one (sh -c, no registry).
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-npx-'));
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"suite","version":"1.0.0","private":true}');
    fs.mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
    const bin = path.join(dir, 'node_modules', '.bin', 'stepwright');
    fs.writeFileSync(bin, `#!${process.execPath}\nrequire(${JSON.stringify(SERVE_CHILD)});\n`, { mode: 0o755 });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  linuxIt(`ends when npx is terminated, as a test fixture's terminate() does${onLinux ? '' : ' (skipped: needs /proc)'}`, async () => {
    const npx = spawn('npx', ['--offline', 'stepwright', 'serve', '--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    npx.stderr.on('data', (d: Buffer) => { err += String(d); });
    const endpoint = await new Promise<string>((resolve, reject) => {
      npx.stdout.once('data', (d: Buffer) => resolve(String(d).split('\n')[0].trim()));
      npx.once('exit', (code) => reject(new Error(`npx exited with ${code}: ${err}`)));
    });
    const sfn = client(endpoint);
    let pids: number[] = [];
    try {
      await expect(sfn.send(new ListStateMachinesCommand({}))).resolves.toMatchObject({ stateMachines: [] });
      // The server's pid: the process listening, found through the one answering (its stderr names nothing else).
      pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number).filter((pid) => {
        try {
          return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`${dir}/node_modules/.bin/stepwright`);
        } catch {
          return false;
        }
      });
      expect(pids).toHaveLength(1);
      npx.kill('SIGTERM');
      expect(await gone(pids[0], 20_000)).toBe(true);
      expect(err).toContain('npx, which started serve, has ended: stopping');
      await expect(sfn.send(new ListStateMachinesCommand({}))).rejects.toThrow();
    } finally {
      sfn.destroy();
      npx.kill('SIGKILL');
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone, as it should be
        }
      }
    }
  }, 60_000);
});

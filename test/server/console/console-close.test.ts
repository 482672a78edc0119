import { spawn } from 'node:child_process';
import * as path from 'node:path';

const REGISTER = path.join(__dirname, '..', 'fixtures', 'register-ts.js');
const CHILD = path.join(__dirname, 'fixtures', 'close-during-layout.ts');

/** Runs the fixture to its own end (it never calls process.exit); a child still running after `ms` is killed (a hang, never a measure). */
function runChild(states: number, ms: number): Promise<{ code: number | null; lines: unknown[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', REGISTER, CHILD, String(states)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { out += String(d); });
    child.stderr.on('data', (d: Buffer) => { stderr += String(d); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`the server's process did not exit within ${ms / 1000} s: ${stderr}`)); }, ms);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, lines: out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown), stderr });
    });
  });
}

describe('serve console: a diagram laid out in a worker thread when the server closes', () => {
  it('does not hold the process open: it exits with the layout thread still running, not after it', async () => {
    // 3,000 states: laid out in a worker thread (past IN_THREAD_STATES), for longer than closing takes.
    const { code, lines, stderr } = await runChild(3_000, 120_000);
    expect({ code, stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(lines).toEqual([{ pending: true, running: 1 }, { exitedWithRunning: 1 }]);
  }, 150_000);
});

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const FIXTURE = path.join(__dirname, 'fixtures', 'loaded-by.js');

interface Loaded {
  readonly code?: number;
  readonly sdk: boolean;
  readonly zod: boolean;
  readonly mcp: boolean;
}

function loadedBy(args: readonly string[]): Promise<Loaded> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [FIXTURE, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as Loaded);
    });
  });
}

// The MCP SDK (and the zod it needs) is for `stepwright mcp` only: nothing else pays for loading it.
describe('stepwright mcp: lazy loading', () => {
  it('import stepwright and stepwright/testing load neither the MCP SDK nor zod', async () => {
    expect(await loadedBy(['--import'])).toEqual({ sdk: false, zod: false, mcp: false });
  }, 60_000);

  it('stepwright run loads neither the MCP SDK nor zod', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-lazy-'));
    const file = path.join(dir, 'p.asl.json');
    fs.writeFileSync(file, JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }));
    try {
      expect(await loadedBy(['--run', file])).toEqual({ code: 0, sdk: false, zod: false, mcp: false });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

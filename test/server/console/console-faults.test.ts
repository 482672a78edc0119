import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildConsoleAssets, consoleApi } from './console-helpers';
import { Console } from '../../../src/server/console';
import type { StepFunctionsService } from '../../../src/server/service';

/** A file the test never creates: its path must reach serve's log, never an answer. */
const MISSING = path.join(os.tmpdir(), 'stepwright-console-no-such-dir', 'journal.jsonl');

beforeAll(() => buildConsoleAssets());

describe('serve console: an action that fails inside', () => {
  it('is answered 500 InternalFailure naming the error, never the path of a file of the machine, which the log names', async () => {
    const logs: string[] = [];
    const service = { call: () => fs.promises.readFile(MISSING) } as unknown as StepFunctionsService;
    const console = new Console(service, (l) => logs.push(l));
    const server = http.createServer((req, res) => {
      if (!console.handle(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const api = await consoleApi(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      const answer = await api.act({ action: 'start', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m' });
      expect(answer.status).toBe(500);
      expect(answer.body).toEqual({ error: 'InternalFailure', message: "ENOENT in open (the server's log names the file)" });
      expect(JSON.stringify(answer.body)).not.toContain('stepwright-console-no-such-dir');
      expect(logs).toHaveLength(1);
      expect(logs[0]).toContain(MISSING);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

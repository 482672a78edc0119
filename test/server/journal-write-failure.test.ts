import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateStateMachineCommand, DescribeStateMachineCommand, ListStateMachinesCommand, type SFNClient, type SFNServiceException,
} from '@aws-sdk/client-sfn';
import { asl, ROLE } from './helpers';
import { kill9, spawnServer, type Child } from './processes';

/** A definition of about 2 KB, so that a journal limited to 64-128 KiB fills within a few dozen state machines. */
const BULKY = asl({ StartAt: 'P', States: { P: { Type: 'Pass', Result: 'x'.repeat(2000), End: true } } });

async function names(sfn: SFNClient): Promise<Set<string>> {
  const out = new Set<string>();
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListStateMachinesCommand({ nextToken }));
    for (const m of page.stateMachines ?? []) out.add(m.name!);
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

describe('serve --data-dir: a journal that can no longer be written (a full disk)', () => {
  let dir: string;
  const children: Child[] = [];
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-journal-full-')); });
  afterEach(async () => {
    for (const c of children.splice(0)) await kill9(c);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers nothing more once a write fails, so that everything it answered 200 is there after kill -9 and a restart', async () => {
    // The file size limit makes the journal's write fail with EFBIG, as a full disk fails it with ENOSPC.
    const full = await spawnServer(dir, { fileSizeBlocks: 128 });
    children.push(full);
    const answered: string[] = [];
    let refusal: SFNServiceException | undefined;
    for (let i = 0; i < 200 && !refusal; i++) {
      try {
        await full.sfn.send(new CreateStateMachineCommand({ name: `m${i}`, definition: BULKY, roleArn: ROLE }));
        answered.push(`m${i}`);
      } catch (e) {
        refusal = e as SFNServiceException;
      }
    }
    expect(refusal?.name).toBe('InternalFailure');
    expect(refusal?.$metadata.httpStatusCode).toBe(500);
    expect(refusal?.message).toContain("The server's journal could not be written (EFBIG)");
    // Never a path of the machine in an answer: the file is named in the operator's log only.
    expect(refusal?.message).not.toContain(dir);
    expect(refusal?.message).not.toContain('journal.jsonl');
    expect(answered.length).toBeGreaterThan(5);

    // The state machine whose record failed is in memory: asking for it again must not find it "already there".
    const failed = `m${answered.length}`;
    await expect(full.sfn.send(new CreateStateMachineCommand({ name: failed, definition: BULKY, roleArn: ROLE }))).rejects.toMatchObject({ name: 'InternalFailure' });
    await expect(full.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `arn:aws:states:us-east-1:123456789012:stateMachine:${failed}` })))
      .rejects.toMatchObject({ name: 'InternalFailure' });
    const again = await full.sfn.send(new ListStateMachinesCommand({})).then(() => undefined, (e: SFNServiceException) => e);
    expect(again?.name).toBe('InternalFailure');
    expect(again?.message).not.toContain(dir);
    expect(full.stderr.join('')).toContain(`journal ${path.join(dir, 'journal.jsonl')}: a write failed (EFBIG: file too large, write); the server answers no request from now on`);

    await kill9(full);
    const restarted = await spawnServer(dir);
    children.push(restarted);
    const kept = await names(restarted.sfn);
    expect(answered.filter((n) => !kept.has(n))).toEqual([]);
  }, 120_000);
});

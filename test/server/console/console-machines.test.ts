import { CreateStateMachineCommand, ListStateMachinesCommand, PublishStateMachineVersionCommand, UpdateStateMachineCommand } from '@aws-sdk/client-sfn';
import { consoleToken } from './console-helpers';
import { asl, PASS, raw, ROLE } from '../helpers';
import { kill9, spawnServer, type Child } from '../processes';

/**
 * A definition of 1,000,068 bytes, under AWS's 1,048,576 (docs/limits.md, "Maximum request
 * size"), made of quotes: written out as a JSON string, each of its 200,000 quotes is escaped,
 * so it takes 1.6 MB in an answer.
 */
const BIG = asl({ StartAt: 'P', States: { P: { Type: 'Pass', Result: Array.from({ length: 200_000 }, () => '"'), End: true } } });
const MACHINES = 120;
/** A heap that holds 120 such definitions, but not 120 of them written out in one answer. */
const SMALL_HEAP = ['--max-old-space-size=512'];

describe('serve console: 120 state machines of 1 MB definitions, in a server with a 512 MB heap', () => {
  let server: Child;
  let token: string;
  const get = async (route: string): Promise<{ status: number; body: any; bytes: number }> => {
    const answer = await raw(`${server.endpoint}/console/api/${route}`, { method: 'GET', body: '', headers: { 'x-stepwright-console-token': token } });
    return { status: answer.status, body: answer.body, bytes: JSON.stringify(answer.body).length };
  };

  beforeAll(async () => {
    expect(BIG.length).toBeGreaterThan(1_000_000);
    expect(BIG.length).toBeLessThan(1_048_576);
    server = await spawnServer(undefined, { node: SMALL_HEAP });
    token = await consoleToken(server.endpoint);
    for (let i = 0; i < MACHINES; i++) await server.sfn.send(new CreateStateMachineCommand({ name: `big-${i}`, definition: BIG, roleArn: ROLE }));
    // 120 MB of requests: the file took 66 s at load 18 and passed 120 s at load 22 (a fresh clone
    // beside six agents); the bound is only against a hang, as jest-config's testTimeout says.
  }, 300_000);
  afterAll(async () => {
    if (server) await kill9(server);
  });

  it('lists them without their definitions or last inputs, which only a machine\'s own page reads, and lives on', async () => {
    const { status, body, bytes } = await get('machines');
    expect(status).toBe(200);
    expect(body.total).toBe(MACHINES);
    expect(body.machines).toHaveLength(MACHINES);
    const listed = { name: 'big-0', type: 'STANDARD', versionCount: 0, versions: [], aliases: [], executions: 0 };
    expect(body.machines[0]).toEqual({ ...listed, stateMachineArn: expect.stringMatching(/:stateMachine:big-0$/), creationDate: expect.any(String) });
    // A few hundred bytes a machine, not the 1.6 MB its definition takes written out.
    expect(bytes).toBeLessThan(MACHINES * 1000);
    expect(server.process.exitCode).toBeNull();
    expect((await server.sfn.send(new ListStateMachinesCommand({ maxResults: 1000 }))).stateMachines).toHaveLength(MACHINES);
  });

  it('answers one machine\'s page with its definition', async () => {
    const arn = (await get('machines')).body.machines[7].stateMachineArn;
    const { status, body } = await get(`machine?arn=${encodeURIComponent(arn)}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ stateMachineArn: arn, name: 'big-7', definition: BIG, versions: [], aliases: [], executions: 0 });
  });

  it('answers a machine that does not exist with StateMachineDoesNotExist', async () => {
    const { status, body } = await get(`machine?arn=${encodeURIComponent('arn:aws:states:us-east-1:123456789012:stateMachine:nope')}`);
    expect(status).toBe(400);
    expect(body).toEqual({ error: 'StateMachineDoesNotExist', message: "State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:nope'" });
  });
});

describe('serve console: a machine of many versions', () => {
  let server: Child;
  beforeAll(async () => { server = await spawnServer(undefined); }, 60_000);
  afterAll(async () => {
    if (server) await kill9(server);
  });

  it('lists its newest 20 versions and how many it has; its page has all of them', async () => {
    const { stateMachineArn } = await server.sfn.send(new CreateStateMachineCommand({ name: 'versioned', definition: PASS, roleArn: ROLE }));
    for (let i = 1; i <= 25; i++) {
      await server.sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition: asl({ StartAt: 'P', States: { P: { Type: 'Pass', Result: i, End: true } } }) }));
      await server.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn, description: `v${i}` }));
    }
    const headers = { 'x-stepwright-console-token': await consoleToken(server.endpoint) };
    const list = (await raw(`${server.endpoint}/console/api/machines`, { method: 'GET', body: '', headers })).body;
    expect(list.machines[0].versionCount).toBe(25);
    expect(list.machines[0].versions.map((v: { version: number }) => v.version)).toEqual(Array.from({ length: 20 }, (_, i) => i + 6));
    const page = (await raw(`${server.endpoint}/console/api/machine?arn=${encodeURIComponent(stateMachineArn!)}`, { method: 'GET', body: '', headers })).body;
    expect(page.versions).toHaveLength(25);
    expect(page.versions[24]).toMatchObject({ version: 25, description: 'v25' });
  });
});

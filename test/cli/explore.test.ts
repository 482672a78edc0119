import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { cli } from './run-cli';
import { exploreClock } from '../../src/explore/context';
import { fibonacciChoice } from '../explore/fibonacci-choice';

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-explore-')); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

function file(name: string, content: unknown): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return p;
}

const routes = {
  StartAt: 'Route',
  States: {
    Route: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 10, Next: 'Big' }], Default: 'Small' },
    Big: { Type: 'Succeed' },
    Small: { Type: 'Succeed' },
  },
};
const single = { StartAt: 'Only', States: { Only: { Type: 'Pass', End: true } } };

function template(): string {
  const machine = (def: object, name: string) => ({
    Type: 'AWS::StepFunctions::StateMachine',
    Properties: { StateMachineName: name, DefinitionString: JSON.stringify(def), RoleArn: 'arn:aws:iam::123456789012:role/r' },
  });
  return file('two.template.json', { Resources: { RoutesMachine: machine(routes, 'Routes'), SingleMachine: machine(single, 'Single') } });
}

describe('stepwright explore', () => {
  it('prints a long path by its first and last states and its length, and counts the goals past the first 20 of a list', async () => {
    // 60 Pass states in a row, then a Choice whose 30 rules contradict themselves: a long path, and 30 states proved unreachable.
    const states: Record<string, unknown> = {};
    for (let i = 0; i < 60; i++) states[`S${i}`] = { Type: 'Pass', Next: i < 59 ? `S${i + 1}` : 'Gate' };
    states.Gate = {
      Type: 'Choice',
      Choices: Array.from({ length: 30 }, (_, i) => ({ And: [{ Variable: '$.x', NumericGreaterThan: 1 }, { Variable: '$.x', NumericLessThan: 0 }], Next: `Never${i}` })),
      Default: 'Done',
    };
    states.Done = { Type: 'Succeed' };
    for (let i = 0; i < 30; i++) states[`Never${i}`] = { Type: 'Pass', Next: 'Done' };
    const r = await cli('explore', file('long.asl.json', { StartAt: 'S0', States: states }));
    expect(r.code).toBe(0);
    const paths = r.out.split('\n').filter((l) => l.startsWith('     S0'));
    expect(paths).toEqual([`     ${Array.from({ length: 20 }, (_, i) => `S${i}`).join(' -> ')} -> ... (37 more) -> S57 -> S58 -> S59 -> Gate -> Done (62 states)`]);
    const listed = r.out.split('\n').filter((l) => l.startsWith('  unreachable Never'));
    expect(listed).toHaveLength(20);
    expect(r.out).toContain('  unreachable: 10 more states (--json lists them all)\n');
  });

  it('prints its options on --help', async () => {
    const r = await cli('explore', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: stepwright explore <definition> [options]');
    expect(r.out).toContain('--budget-seconds <s>');
  });

  it('is listed in the command list', async () => {
    expect((await cli('--help')).out).toContain('explore <definition> [--machine <name>] [--json]');
  });

  it('exits 2 without a definition, and with options that cannot bound a search', async () => {
    expect((await cli('explore')).code).toBe(2);
    const bad = await cli('explore', file('routes.asl.json', routes), '--max-scenarios', '0');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--max-scenarios must be a positive integer, got '0'");
    expect((await cli('explore', file('routes.asl.json', routes), '--seed', 'x')).err).toContain("--seed must be an integer, got 'x'");
  });

  it('prints the report as JSON with --json: categories, scenarios and findings', async () => {
    const r = await cli('explore', file('routes.asl.json', routes), '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.source).toBe(path.join(dir, 'routes.asl.json'));
    expect(report.states).toEqual({ reached: 3, total: 3, unreachable: [], notReached: [] });
    expect(report.choiceRules).toMatchObject({ reached: 2, total: 2 });
    expect(report.scenarios.map((s: { path: string[] }) => s.path)).toEqual(expect.arrayContaining([['Route', 'Big'], ['Route', 'Small']]));
    expect(report.findings).toEqual([]);
    expect(report.search).toEqual({ complete: true, runs: expect.any(Number) });
  });

  it('prints the same JSON twice for the same definition and options', async () => {
    const p = file('routes.asl.json', routes);
    expect((await cli('explore', p, '--json', '--seed', '3')).out).toBe((await cli('explore', p, '--json', '--seed', '3')).out);
  });

  it('explores every state machine of a template, or the one --machine selects', async () => {
    const t = template();
    const all = await cli('explore', t, '--json');
    expect(all.code).toBe(0);
    expect(JSON.parse(all.out).map((r: { machine: string }) => r.machine).sort()).toEqual(['Routes', 'Single']);
    const one = await cli('explore', t, '--machine', 'Single', '--json');
    expect(JSON.parse(one.out)).toMatchObject({ machine: 'Single', states: { reached: 1, total: 1 } });
    const text = await cli('explore', t);
    expect(text.out).toMatch(/RoutesMachine: 3\/3 states, 2\/2 transitions, 2\/2 Choice rules; 2 scenarios from \d+ runs/);
  });

  it('refuses a definition the validator refuses, with the same located errors as run', async () => {
    const p = file('bad.asl.json', { StartAt: 'Nowhere', States: { A: { Type: 'Pass', End: true } } });
    const explored = await cli('explore', p);
    const ran = await cli('run', p);
    expect(explored.code).toBe(1);
    expect(explored.err.replace('stepwright explore', 'stepwright run')).toBe(ran.err);
    expect(explored.err).toContain('/StartAt');
  });

  it('asks in one line for the items of an ItemReader, names the scenarios that use items it made up, and uses the items --mocks gives', async () => {
    const p = file('reader.asl.json', {
      StartAt: 'Files',
      States: {
        Files: {
          Type: 'Map',
          End: true,
          ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'b' } },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Handle', States: { Handle: { Type: 'Pass', End: true } } },
        },
      },
    });
    const asked = await cli('explore', p);
    expect(asked.out.split('\n').filter((l) => l.startsWith('  needs: '))).toEqual([
      '  needs: Map \'Files\' reads its items with an ItemReader (arn:aws:states:::s3:listObjectsV2): explore cannot know your S3 objects, '
      + 'so the scenarios that run its items use items it made up (their names say so); give yours as mocks: { "Files": { "Return": [ ...items ] } }',
    ]);
    expect(asked.out).toContain("Map 'Files' gets one item [S3 items made up by explore: 1 for Map 'Files']: SUCCEEDED");
    const given = await cli('explore', p, '--mocks', file('items.json', { Files: { Return: [{ Key: 'a' }] } }), '--json');
    expect(JSON.parse(given.out).states).toMatchObject({ reached: 2, total: 2 });
    expect(given.out).not.toContain('made up');
  });

  it('exits 2 for a mocks file it cannot use, naming the entry', async () => {
    const p = file('routes.asl.json', routes);
    const empty = await cli('explore', p, '--mocks', file('empty.json', { Route: [] }));
    expect(empty.code).toBe(2);
    expect(empty.err).toContain("mock 'Route' is an empty list");
    const config = await cli('explore', p, '--mocks', file('config.json', { StateMachines: {}, MockedResponses: {} }));
    // A MockConfigFile is read as `run` reads it: it needs a test case.
    expect(config.code).toBe(2);
    expect(config.err).toContain('is an AWS MockConfigFile; choose a test case with --test-case <name> (it has none)');
    const notTask = await cli('explore', p, '--mocks', file('choice.json', { Route: { Return: 1 } }));
    expect(notTask.code).toBe(2);
    expect(notTask.err).toContain("mock key 'Route' names a Choice state");
  });

  it('returns a partial report with --budget-seconds 1 when one JSONata evaluation would run for seconds', async () => {
    // Once $states.input.n is a positive number, the rule computes a Fibonacci number by plain recursion: seconds per evaluation.
    const recursive = fibonacciChoice(25, '$states.input.n > 0 and ');
    // The budget's clock counts its reads (1 ms each), so 1 s is 1,000 of them on any machine: the
    // evaluation is cut by the same check, without burning a second of CPU to reach it.
    const realNow = exploreClock.now;
    let ticks = 0;
    exploreClock.now = () => ticks++;
    let r: Awaited<ReturnType<typeof cli>>;
    try {
      r = await cli('explore', file('recursive.asl.json', recursive), '--budget-seconds', '1', '--json');
    } finally {
      exploreClock.now = realNow;
    }
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.search).toMatchObject({ complete: false, stoppedBy: 'budget' });
    expect(report.scenarios.map((s: { path: string[] }) => s.path)).toContainEqual(['Check', 'No']);
    expect(report.states.notReached).toEqual([{ state: 'Yes', reason: expect.stringMatching(/budget/) }]);
  });

  describe('on a cdk.out', () => {
    let cdkOut: string;
    beforeAll(() => {
      cdkOut = path.join(dir, 'cdk.out');
      const app = new App({ outdir: cdkOut, context: { 'aws:cdk:enable-path-metadata': true } });
      const orders = new Stack(app, 'Orders');
      const check = new sfn.Choice(orders, 'Big?')
        .when(sfn.Condition.numberGreaterThan('$.total', 100), new sfn.Pass(orders, 'Review'))
        .otherwise(new sfn.Pass(orders, 'Ship'));
      new sfn.StateMachine(orders, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(check) });
      const billing = new Stack(app, 'Billing');
      new sfn.StateMachine(billing, 'Broken', { definitionBody: sfn.DefinitionBody.fromString('{"StartAt":"Nowhere","States":{"A":{"Type":"Pass","End":true}}}') });
      app.synth();
    });

    it('explores every machine it can, names the invalid one with its located error, and exits 1', async () => {
      const r = await cli('explore', cdkOut);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`${cdkOut} Orders Orders/Flow: 3/3 states, 2/2 transitions, 2/2 Choice rules`);
      expect(r.err).toContain(`stepwright explore: ${cdkOut} Billing Billing/Broken: The state machine definition is invalid`);
      expect(r.err).toContain('/StartAt [MISSING_TRANSITION_TARGET]');
    });

    it('explores only the stack --stack names', async () => {
      const r = await cli('explore', cdkOut, '--stack', 'Orders', '--json');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out)).toMatchObject({ source: `${cdkOut} Orders Orders/Flow`, choiceRules: { reached: 2, total: 2 } });
    });
  });
});

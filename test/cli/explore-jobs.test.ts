import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from './run-cli';
import { exploreInWorkers } from '../../src/workbench/commands/explore-machines';
import { loadMachines } from '../../src/workbench/commands/sources';

let dir: string;
let cdkOut: string;

const machine = (def: object, name: string) => ({
  Type: 'AWS::StepFunctions::StateMachine',
  Properties: { StateMachineName: name, DefinitionString: JSON.stringify(def), RoleArn: 'arn:aws:iam::123456789012:role/r' },
});

const routes = {
  StartAt: 'Route',
  States: {
    Route: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 10, Next: 'Big' }], Default: 'Small' },
    Big: { Type: 'Succeed' },
    Small: { Type: 'Succeed' },
  },
};
const charge = {
  StartAt: 'Charge',
  States: {
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' },
      Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Declined' }],
      Next: 'Done',
    },
    Declined: { Type: 'Fail', Error: 'Declined' },
    Done: { Type: 'Succeed' },
  },
};
const items = {
  StartAt: 'Each',
  States: {
    Each: {
      Type: 'Map',
      ItemsPath: '$.items',
      End: true,
      ItemProcessor: {
        StartAt: 'Odd?',
        States: {
          'Odd?': { Type: 'Choice', Choices: [{ Variable: '$.odd', BooleanEquals: true, Next: 'Odd' }], Default: 'Even' },
          'Odd': { Type: 'Pass', End: true },
          'Even': { Type: 'Pass', End: true },
        },
      },
    },
  },
};
const broken = { StartAt: 'Nowhere', States: { A: { Type: 'Pass', End: true } } };

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-explore-jobs-'));
  // A cloud assembly without a manifest: every *.template.json of the folder, in name order.
  cdkOut = path.join(dir, 'cdk.out');
  fs.mkdirSync(cdkOut);
  const write = (name: string, resources: object) => fs.writeFileSync(path.join(cdkOut, `${name}.template.json`), JSON.stringify({ Resources: resources }));
  write('Billing', { ChargeMachine: machine(charge, 'Charge'), BrokenMachine: machine(broken, 'Broken') });
  write('Orders', { RoutesMachine: machine(routes, 'Routes'), ItemsMachine: machine(items, 'Items') });
});
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

describe('stepwright explore --jobs', () => {
  it('prints the same bytes, errors and exit code with --jobs 3 as with --jobs 1 over a cdk.out of several machines', async () => {
    for (const format of [[], ['--json']]) {
      const one = await cli('explore', cdkOut, '--jobs', '1', ...format);
      const three = await cli('explore', cdkOut, '--jobs', '3', ...format);
      expect(three).toEqual(one);
      expect(one.code).toBe(1);
      expect(one.err).toContain('Billing.template.json BrokenMachine: The state machine definition is invalid');
    }
    const text = (await cli('explore', cdkOut, '--jobs', '3')).out;
    // Every machine that can run is reported, in the order of the cloud assembly.
    const order = ['ChargeMachine', 'RoutesMachine', 'ItemsMachine'].map((id) => text.indexOf(`${id}: `));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('explores with the CPU count of workers when --jobs is not given, with the same output', async () => {
    expect(await cli('explore', cdkOut, '--json')).toEqual(await cli('explore', cdkOut, '--json', '--jobs', '1'));
  });

  it.each(['0', '1.5', '65', 'many', ''])("refuses --jobs '%s' with exit code 2", async (jobs) => {
    const r = await cli('explore', cdkOut, '--jobs', jobs);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--jobs must be an integer from 1 to 64, got '${jobs}'`);
  });

  it('reports a machine its worker cannot find where the command found it, and explores the others', async () => {
    const machines = loadMachines(cdkOut);
    const moved = machines.map((m, i) => (i === 0 ? { ...m, label: `${m.label} (moved)` } : m));
    const outcomes = await exploreInWorkers(cdkOut, moved, { input: {} }, 2);
    expect(outcomes[0]).toEqual({
      ok: false,
      failure: 'stopped',
      message: `exploring it stopped: the source changed while it was read (machine 1 is no longer '${machines[0].label} (moved)')`,
    });
    expect(outcomes.slice(1).map((o) => (o.ok ? o.report.machine : o.failure))).toEqual(['invalid-definition', 'Routes', 'Items']);
  });
});

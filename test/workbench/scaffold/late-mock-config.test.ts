import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { StateMachineDefinition } from '../../../src/asl';
import { MockConfigError, mocksFromJson, parseMockConfig, scaffoldMockConfig, Workflow } from '../../../src/testing';
import { cli } from '../../cli/run-cli';

/*
 * A MockConfigFile written from explore's scenarios (`explore --mock-config`) where a given answer
 * is late. Before, a `{"Delay": 600, "Return": …}` entry was written as the Return of that whole
 * object, so the test case answered at once with `{"Delay": 600, …}` and ran another path than
 * its scenario. Now the Delay is kept beside the Return or Throw, stepwright's own field the
 * MockConfigFile reader takes (MockConfigResponse.Delay). A worker's heartbeats have no field
 * there: AWS's format holds "a single field named Return or Throw" (Configuration file for
 * mocked service integrations) and stepwright adds none to it, so an answer with `Heartbeats` is
 * refused, saying that only the --mocks format carries it, and `explore --mock-config` then writes
 * nothing and exits 2 with a usage error.
 */

const CALLBACK = {
  StartAt: 'Work',
  States: {
    Work: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'work', Payload: { 'token.$': '$$.Task.Token' } },
      HeartbeatSeconds: 30,
      TimeoutSeconds: 300,
      Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Lapsed' }],
      Next: 'Done',
    },
    Lapsed: { Type: 'Fail', Error: 'Lapsed' },
    Done: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

describe('scaffoldMockConfig with a late answer', () => {
  it.each([
    ['Return', { Delay: 20, Return: { ok: true } }, 'SUCCEEDED', ['Work', 'Done']],
    ['Return past the heartbeat', { Delay: 45, Return: { ok: true } }, 'FAILED', ['Work', 'Lapsed']],
    ['Throw', { Delay: 20, Throw: { Error: 'Busy' } }, 'FAILED', ['Work']],
  ])('keeps the Delay of a late %s, so each test case runs as its scenario did', async (_, entry, status, statePath) => {
    const wf = Workflow.fromDefinition(CALLBACK);
    const report = await wf.explore({ mocks: { Work: entry }, budgetSeconds: 2, seed: 1 });
    expect(report.scenarios.map((s) => [s.status, s.path])).toContainEqual([status, statePath]);
    const written = scaffoldMockConfig(report, { definition: wf.definition });
    const responses = Object.values(written.MockedResponses).flatMap((r) => Object.values(r));
    expect(responses).toContainEqual(expect.objectContaining({ Delay: entry.Delay }));
    for (const r of responses) expect(JSON.stringify(r.Return ?? null)).not.toContain('Delay');
    const cases = Object.entries(written.StateMachines.StateMachine.TestCases);
    expect(cases.length).toBe(report.scenarios.length);
    for (const [i, [name]] of cases.entries()) {
      const run = await wf.run(report.scenarios[i].input, { mockConfig: { config: written, testCase: name } });
      expect([name, run.status, run.path, run.stopDate]).toEqual([name, report.scenarios[i].status, report.scenarios[i].path, expect.any(Date)]);
      const again = await wf.run(report.scenarios[i].input, { mocks: mocksFromJson(report.scenarios[i].mocks, 'scenario') });
      expect(run.stopDate.getTime() - run.startDate.getTime()).toBe(again.stopDate.getTime() - again.startDate.getTime());
    }
  });

  it('refuses an answer whose worker sends heartbeats: only the --mocks format carries them', async () => {
    const wf = Workflow.fromDefinition(CALLBACK);
    const entry = { Delay: 59, Heartbeats: [29], Return: { ok: true } };
    const report = await wf.explore({ mocks: { Work: entry }, budgetSeconds: 2, seed: 1 });
    // The scenario keeps the heartbeat: the answer at 59 s comes 30 s after the heartbeat at 29 s, so it lapses.
    expect(report.scenarios.map((s) => [s.status, s.path])).toContainEqual(['FAILED', ['Work', 'Lapsed']]);
    let thrown: unknown;
    try {
      scaffoldMockConfig(report, { definition: wf.definition });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(MockConfigError);
    expect((thrown as MockConfigError).message).toMatch(/Heartbeats.*only the --mocks format carries/);
    expect((thrown as MockConfigError).message).toMatch(/Work/);
  });
});

describe('a MockConfigFile entry with Heartbeats', () => {
  it('is refused, saying that the field is the --mocks table\'s only', () => {
    const config = {
      StateMachines: { M: { TestCases: { T: { Work: 'Beating' } } } },
      MockedResponses: { Beating: { 0: { Delay: 59, Heartbeats: [29], Return: { ok: true } } } },
    };
    expect(() => parseMockConfig(config)).toThrow(/MockedResponses\.Beating(\.|\[")0(\.|"\]\.?)Heartbeats: unknown field; Heartbeats is a --mocks table's field only/);
    // Without it, the same entry is read, its Delay stepwright's own field.
    const { Heartbeats: _, ...late } = config.MockedResponses.Beating[0];
    expect(() => parseMockConfig({ ...config, MockedResponses: { Beating: { 0: late } } })).not.toThrow();
  });
});

describe('stepwright explore --mock-config with an answer that sends heartbeats', () => {
  it('refuses with a usage error naming the --mocks format, and writes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-late-mock-config-'));
    try {
      fs.writeFileSync(path.join(dir, 'm.asl.json'), JSON.stringify(CALLBACK));
      fs.writeFileSync(path.join(dir, 'mocks.json'), JSON.stringify({ Work: { Delay: 59, Heartbeats: [29], Return: { ok: true } } }));
      const out = path.join(dir, 'MockConfigFile.json');
      const r = await cli('explore', path.join(dir, 'm.asl.json'), '--mocks', path.join(dir, 'mocks.json'), '--mock-config', out, '--budget-seconds', '2');
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/--mock-config .*MockConfigFile\.json: .*Work: .*sends heartbeats \(Heartbeats\), which only the --mocks format carries.*nothing was written/);
      expect(fs.existsSync(out)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { Workflow } from '../../src/testing/workflow';
import { MockJsonError, mocksFromJson } from '../../src/workbench/mocks/json';
import { MockConfigError, parseMockConfig } from '../../src/workbench/mocks/mock-config';

/*
 * A late answer written as JSON: `{"Delay": <seconds>, "Return": …}` or with `Throw`, the JSON
 * spelling of the harness's delay(seconds, then). AWS's MockConfigFile has no such field (an entry
 * holds "a single field named Return or Throw", sfn-local-mock-cfg-file), so Delay is
 * stepwright's own, read by one check (delayProblem) for both formats: the --mocks table
 * (mocksFromJson) and the MockConfigFile (parseMockConfig).
 */

/** Ship, with TimeoutSeconds 300 and a Catch of everything, then Done. */
const shipping = (): Workflow => Workflow.fromDefinition({
  StartAt: 'Ship',
  States: {
    Ship: {
      Type: 'Task',
      Resource: 'arn:aws:lambda:us-east-1:123456789012:function:ship',
      TimeoutSeconds: 300,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Late' }],
      Next: 'Done',
    },
    Late: { Type: 'Pass', End: true },
    Done: { Type: 'Succeed' },
  },
} as StateMachineDefinition);

const seconds = (run: { startDate: Date; stopDate: Date }): number => (run.stopDate.getTime() - run.startDate.getTime()) / 1000;

describe('a late answer in JSON mocks ({"Delay": …})', () => {
  it('answers after the delay on the virtual clock, within the Task\'s TimeoutSeconds', async () => {
    const run = await shipping().run({}, { mocks: mocksFromJson({ Ship: { Delay: 120, Return: { shipped: true } } }, 'mocks.json') });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.path).toEqual(['Ship', 'Done']);
    expect(run.output).toEqual({ shipped: true });
    expect(seconds(run)).toBe(120);
  });

  it('times the Task out with States.Timeout at its TimeoutSeconds when the answer comes later', async () => {
    const run = await shipping().run({}, { mocks: mocksFromJson({ Ship: { Delay: 600, Return: { shipped: true } } }, 'mocks.json') });
    expect(run.path).toEqual(['Ship', 'Late']);
    expect(run.output).toMatchObject({ error: { Error: 'States.Timeout' } });
    expect(seconds(run)).toBe(300);
  });

  it('delays a Throw, and one answer of a list', async () => {
    const run = await shipping().run({}, { mocks: mocksFromJson({ Ship: [{ Delay: 30, Throw: { Error: 'Busy', Cause: 'later' } }] }, 'mocks.json') });
    expect(run.path).toEqual(['Ship', 'Late']);
    expect(run.output).toMatchObject({ error: { Error: 'Busy', Cause: 'later' } });
    expect(seconds(run)).toBe(30);
  });

  it('refuses a Delay that is not a number of seconds from 0 to a year, naming the state, the field and the value', () => {
    const refused = (delay: unknown): string => {
      try {
        mocksFromJson({ Ship: [{ Return: 1 }, { Delay: delay, Return: 2 }] }, 'mocks.json');
      } catch (e) {
        expect(e).toBeInstanceOf(MockJsonError);
        return (e as Error).message;
      }
      throw new Error(`Delay ${String(delay)} was taken`);
    };
    expect(refused(-1)).toBe("mocks.json: mock 'Ship'[1]: Delay must be a number of seconds from 0 to 31536000 (a Standard execution's longest run), got -1");
    expect(refused(Number.NaN)).toContain("mock 'Ship'[1]: Delay must be a number of seconds from 0 to 31536000 (a Standard execution's longest run), got NaN");
    expect(refused('600')).toContain('Delay must be a number of seconds from 0 to 31536000 (a Standard execution\'s longest run), got "600"');
    expect(refused(31_536_001)).toContain('got 31536001');
    expect(refused(null)).toContain('got null');
  });

  it('refuses a Delay with nothing to delay, saying how to write a result holding such a field', () => {
    expect(() => mocksFromJson({ Ship: { Delay: 60 } }, 'mocks.json')).toThrow(
      "mocks.json: mock 'Ship': a Delay needs the answer it delays: {\"Delay\": 60, \"Return\": <value>} or {\"Delay\": 60, \"Throw\": {\"Error\": \"<name>\"}}; write {\"Return\": {\"Delay\": …}} for a result with such a field",
    );
  });

  it('keeps an object with a Delay and other fields a plain result', async () => {
    const run = await shipping().run({}, { mocks: mocksFromJson({ Ship: { Delay: 60, Return: 1, Other: 2 } }, 'mocks.json') });
    expect(run.output).toEqual({ Delay: 60, Return: 1, Other: 2 });
    expect(seconds(run)).toBe(0);
  });
});

describe('a late answer in a MockConfigFile entry', () => {
  const config = (entry: unknown): unknown => ({
    StateMachines: { M: { TestCases: { Late: { Ship: 'Slow' } } } },
    MockedResponses: { Slow: { 0: entry } },
  });

  it('answers after its Delay, and times the Task out past its TimeoutSeconds', async () => {
    const inTime = await shipping().run({}, { mockConfig: { config: parseMockConfig(config({ Delay: 200, Return: { shipped: true } })), stateMachine: 'M', testCase: 'Late' } });
    expect(inTime.path).toEqual(['Ship', 'Done']);
    expect(seconds(inTime)).toBe(200);
    const late = await shipping().run({}, { mockConfig: { config: parseMockConfig(config({ Delay: 301, Throw: { Error: 'Busy' } })), stateMachine: 'M', testCase: 'Late' } });
    expect(late.output).toMatchObject({ error: { Error: 'States.Timeout' } });
    expect(seconds(late)).toBe(300);
  });

  it('refuses a bad Delay with the entry\'s path and the value', () => {
    let error: unknown;
    try {
      parseMockConfig(config({ Delay: 'soon', Return: 1 }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MockConfigError);
    expect((error as MockConfigError).path).toBe('MockedResponses.Slow["0"].Delay');
    expect((error as MockConfigError).reason).toBe('must be a number of seconds from 0 to 31536000 (a Standard execution\'s longest run), got "soon"');
    expect(() => parseMockConfig(config({ Delay: 5 }))).toThrow("an entry needs one of 'Return' and 'Throw'");
  });
});

/** An activity with HeartbeatSeconds 30 and TimeoutSeconds 300, caught, then Done. */
const working = (): Workflow => Workflow.fromDefinition({
  StartAt: 'Work',
  States: {
    Work: {
      Type: 'Task',
      Resource: 'arn:aws:states:us-east-1:123456789012:activity:work',
      HeartbeatSeconds: 30,
      TimeoutSeconds: 300,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Lapsed' }],
      Next: 'Done',
    },
    Lapsed: { Type: 'Pass', End: true },
    Done: { Type: 'Succeed' },
  },
} as StateMachineDefinition);

describe('heartbeats in JSON mocks ({"Delay": …, "Heartbeats": […]})', () => {
  // SendTaskHeartbeat: "If more time than the specified seconds elapses between heartbeats from
  // the task, this state fails" (the Task state page, HeartbeatSeconds).
  it('keeps the Task alive past its HeartbeatSeconds, and lapses HeartbeatSeconds after the last heartbeat', async () => {
    const beat = (entry: unknown) => working().run({}, { mocks: mocksFromJson({ Work: entry }, 'mocks.json') });
    const quiet = await beat({ Delay: 50, Return: { done: true } });
    expect([quiet.path, seconds(quiet)]).toEqual([['Work', 'Lapsed'], 30]);
    expect(quiet.output).toMatchObject({ error: { Error: 'States.HeartbeatTimeout' } });
    const kept = await beat({ Delay: 50, Heartbeats: [25], Return: { done: true } });
    expect([kept.path, seconds(kept), kept.output]).toEqual([['Work', 'Done'], 50, { done: true }]);
    const stopped = await beat({ Delay: 59, Heartbeats: [29], Return: { done: true } });
    expect([stopped.path, seconds(stopped)]).toEqual([['Work', 'Lapsed'], 59]);
    expect(stopped.output).toMatchObject({ error: { Error: 'States.HeartbeatTimeout' } });
  });

  it('refuses Heartbeats with no Delay, past it, or not a list of seconds, naming the state and the field', () => {
    const refused = (entry: unknown): string => {
      try {
        mocksFromJson({ Work: entry }, 'mocks.json');
      } catch (e) {
        expect(e).toBeInstanceOf(MockJsonError);
        return (e as Error).message;
      }
      throw new Error(`${JSON.stringify(entry)} was taken`);
    };
    expect(refused({ Heartbeats: [5], Return: 1 })).toBe("mocks.json: mock 'Work': Heartbeats needs a Delay: heartbeats are sent while a late answer is awaited");
    expect(refused({ Delay: 10, Heartbeats: [5, 11], Return: 1 })).toBe("mocks.json: mock 'Work': Heartbeats must be a list of seconds after the call, each from 0 to the Delay of 10, got [5,11]");
    expect(refused({ Delay: 10, Heartbeats: 5, Return: 1 })).toContain('Heartbeats must be a list of seconds after the call, each from 0 to the Delay of 10, got 5');
    expect(refused({ Delay: 10, Heartbeats: [-1], Return: 1 })).toContain('got [-1]');
  });
});

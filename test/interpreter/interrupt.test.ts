import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { compileStateMachine } from '../../src/interpreter';

class TimeUp extends Error {}

/** An interrupt that throws from the n-th time it is asked on, counting the asks. */
function after(n: number): { interrupt: () => void; asked: () => number } {
  let asked = 0;
  return { interrupt: () => { if (++asked >= n) throw new TimeUp(`asked ${asked} times`); }, asked: () => asked };
}

describe('StartOptions.interrupt', () => {
  const loop = {
    StartAt: 'Spin',
    States: {
      Spin: { Type: 'Pass', Next: 'Again' },
      Again: { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Done' }], Default: 'Spin' },
      Done: { Type: 'Succeed' },
    },
  } as unknown as StateMachineDefinition;

  it('ends an endless loop before the state at which it first throws, and the result rejects with its error', async () => {
    const { interrupt, asked } = after(10);
    const execution = compileStateMachine(loop).start({}, { interrupt });
    await expect(execution.result).rejects.toBeInstanceOf(TimeUp);
    expect(asked()).toBe(10);
    expect(execution.status).toBe('ABORTED');
  });

  it('ends a JSONata evaluation at the step it throws, and no Catch takes the error', async () => {
    const compute = { Type: 'Pass', Output: '{% ($f := function($k) { $k < 2 ? $k : $f($k - 1) + $f($k - 2) }; $f(20)) %}' };
    const plain = {
      QueryLanguage: 'JSONata',
      StartAt: 'Compute',
      States: { Compute: { ...compute, Next: 'Done' }, Done: { Type: 'Succeed' } },
    } as unknown as StateMachineDefinition;
    const { interrupt, asked } = after(100);
    await expect(compileStateMachine(plain).start({}, { interrupt }).result).rejects.toBeInstanceOf(TimeUp);
    // Asked on entering the state, then at each evaluation step until the 100th ask throws; the execution answers later asks itself.
    expect(asked()).toBe(100);
    const caught = {
      QueryLanguage: 'JSONata',
      StartAt: 'Guarded',
      States: {
        Guarded: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Compute', States: { Compute: { ...compute, End: true } } }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Done' }],
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    await expect(compileStateMachine(caught).start({}, { interrupt: after(100).interrupt }).result).rejects.toBeInstanceOf(TimeUp);
  });

  it('is not asked when not given: an execution runs as before', async () => {
    const result = await compileStateMachine(loop).start({ stop: true }).result;
    expect(result.status).toBe('SUCCEEDED');
  });
});

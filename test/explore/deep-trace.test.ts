import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { Workflow } from '../../src/testing/workflow';

// A counter assigned from itself once a turn: tracing where `$n` comes from at the last turn nests
// once per turn. At 3,000 turns explore ended with "Maximum call stack size exceeded" (found by the
// per-rule seeds of bench/verify-corpus.mjs: a negated rule ran a loop long); the trace now stops at a
// bound and the goal keeps a reason.
const counter = (turns: number): StateMachineDefinition => ({
  QueryLanguage: 'JSONata',
  StartAt: 'Init',
  States: {
    Init: { Type: 'Pass', Assign: { n: 0 }, Next: 'Turn' },
    Turn: { Type: 'Pass', Assign: { n: '{% $n + 1 %}' }, Next: 'Check' },
    Check: {
      Type: 'Choice',
      Choices: [
        { Condition: `{% $n < ${turns} %}`, Next: 'Turn' },
        { Condition: '{% $n = $states.input.target %}', Next: 'Hit' },
      ],
      Default: 'Done',
    },
    Hit: { Type: 'Succeed' },
    Done: { Type: 'Succeed' },
  },
});

describe('explore: a value traced through a long loop', () => {
  it('explores a counter loop of 3,000 turns without exhausting the stack, and says why a goal is not reached', async () => {
    const report = await Workflow.fromDefinition(counter(3000)).explore({ budgetSeconds: 20, seed: 1 });
    expect(report.scenarios.length).toBeGreaterThan(0);
    const hit = report.states.notReached.find((g) => g.state === 'Hit');
    expect(hit?.reason).toMatch(/^no scenario reached 'Hit': /);
  }, 120_000);
});

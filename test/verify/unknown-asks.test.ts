import type { StateMachineDefinition } from '../../src/asl';
import { Workflow } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';
import { LAMBDA } from './verify-setup';

/*
 * A function of the run no run broke is UNKNOWN: verify cannot read it, and a value it asks about
 * that no rule of the machine names is one the search cannot make up. The reason said only "give
 * an input or mocks that hold it". It now names where: each place a Choice rule reads that a test
 * writes (a Task's answer as its mock returns it, a field of the input), followed back through a
 * run, with the rule that reads it (which says what it is compared with).
 */

stopExploreClock();

/** A code fetched and routed; the region read from the input. */
const routed = {
  QueryLanguage: 'JSONata',
  StartAt: 'Fetch',
  States: {
    Fetch: {
      Type: 'Task',
      Resource: LAMBDA,
      Arguments: { FunctionName: 'fetch', Payload: '{% $states.input %}' },
      Assign: { code: '{% $states.result.Payload.code %}' },
      Output: '{% $states.input %}',
      Next: 'Route',
    },
    Route: {
      Type: 'Choice',
      Choices: [
        { Condition: "{% $code = 'A1' %}", Next: 'Priority' },
        { Condition: "{% $states.input.region = 'eu' %}", Next: 'Europe' },
      ],
      Default: 'Other',
    },
    Priority: { Type: 'Succeed' },
    Europe: { Type: 'Succeed' },
    Other: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

const reasonOf = async (def: StateMachineDefinition): Promise<string> => {
  const report = await Workflow.fromDefinition(def).verify({ anything: () => true });
  expect(report.properties.anything.verdict).toBe('UNKNOWN');
  return report.properties.anything.reason;
};

describe('what an UNKNOWN function of the run asks for', () => {
  it('names the Task whose answer a rule reads, the field as its mock returns it, and the rule', async () => {
    const reason = await reasonOf(routed);
    expect(reason).toContain("the answer of 'Fetch' at .code (its mock's Return), which rule 1 of 'Route' ({% $code = 'A1' %}) reads");
    expect(reason).not.toContain('that hold it');
  });

  it('names the input field a rule reads, and the rule', async () => {
    const reason = await reasonOf(routed);
    expect(reason).toContain("the input at $.region, which rule 2 of 'Route' ({% $states.input.region = 'eu' %}) reads");
  });

  it('asks for an input or mocks in general where no rule reads what a test gives', async () => {
    const plain = {
      StartAt: 'Fetch',
      States: { Fetch: { Type: 'Task', Resource: LAMBDA, Parameters: { FunctionName: 'fetch' }, End: true } },
    } as unknown as StateMachineDefinition;
    const reason = await reasonOf(plain);
    expect(reason).toContain('give an input (--input, the input option) or mocks (--mocks) that hold it, the search starts from them');
  });
});

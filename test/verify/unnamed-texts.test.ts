import type { StateMachineDefinition } from '../../src/asl';
import { Workflow, type WorkflowRun } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';
import { reproduced } from './verify-setup';

/*
 * A property may ask about a text no rule of the machine names: the seeds bench (--choice-rules)
 * moved a rule's text ("refund" to "refund-moved"), and the run that breaks the property needs
 * the text the machine as built compared, which the changed machine no longer writes anywhere.
 * verify cannot make that text up; its UNKNOWN says what to give, and given it, finds the run.
 */

stopExploreClock();

/** Tickets whose subject mentions a refund request go to the refunds queue (the rule's text is not the one the property means). */
const tickets = {
  QueryLanguage: 'JSONata',
  StartAt: 'Route',
  States: {
    Route: { Type: 'Choice', Choices: [{ Condition: '{% $contains($lowercase($states.input.subject), "refund-request") %}', Next: 'Refunds' }], Default: 'Support' },
    Refunds: { Type: 'Succeed' },
    Support: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/** Every subject that mentions a refund goes to the refunds queue. */
const refundsQueued = (run: WorkflowRun): boolean => {
  const subject = (run.inputOf('Route') as { subject?: unknown } | null)?.subject;
  return !(typeof subject === 'string' && subject.toLowerCase().includes('refund')) || run.visited('Refunds');
};

describe('a text a property asks about that no rule names', () => {
  it('is UNKNOWN with a reason that asks for it at the input field the rule reads', async () => {
    const report = await Workflow.fromDefinition(tickets).verify({ refundsQueued });
    const v = report.properties.refundsQueued;
    expect(v.verdict).toBe('UNKNOWN');
    expect(v.reason).toMatch(/no rule of the machine names .* give it where the machine's rules read it, and the search starts from there: the input at \$\.subject, which rule 1 of 'Route' \(\{% \$contains/);
  });

  it('is VIOLATED once the input holds it, and the counterexample reproduces', async () => {
    const wf = Workflow.fromDefinition(tickets);
    const report = await wf.verify({ refundsQueued }, { input: { subject: 'Refund please' } });
    const v = report.properties.refundsQueued;
    expect(v.verdict).toBe('VIOLATED');
    const { run } = await reproduced(wf, tickets, v, 'refundsQueued');
    expect(run.visited('Support')).toBe(true);
  });
});

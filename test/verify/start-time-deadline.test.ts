import type { StateMachineDefinition } from '../../src/asl';
import { Property } from '../../src/explore/properties';
import { MachineGraph } from '../../src/explore/verify-graph';
import { proveOnGraph } from '../../src/explore/verify-prove';
import { Workflow } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';
import { NO_FACTS } from './verify-setup';

/*
 * A poll with a deadline counted from the execution's start: `$millis() -
 * $toMillis($states.context.Execution.StartTime) > 600000` leaves the loop, and a Wait of 60
 * seconds in every turn moves the clock on. Now minus the start is at least every Wait the run has
 * left since it started, so after ten turns the deadline rule matches and the loop ends: at most
 * eleven checks, whatever the answers. A Wait that can be 0 s, or a deadline that keeps the loop
 * going once passed, bounds nothing.
 */

stopExploreClock();

/** A restore test checked every `wait` s until it ends, its count limit read from the input, as the corpus's RestoreTestDeadline. */
function restore(wait: unknown = 60, deadline = '{% $millis() - $toMillis($states.context.Execution.StartTime) > 600000 %}'): StateMachineDefinition {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Start',
    States: {
      'Start': { Type: 'Pass', Assign: { checks: 0, limit: '{% $exists($states.input.limit) ? $states.input.limit : 30 %}' }, Next: 'Wait a minute' },
      'Wait a minute': { Type: 'Wait', Seconds: wait, Next: 'Check restore' },
      'Check restore': {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Arguments: { FunctionName: 'check-restore-test' },
        Assign: { checks: '{% $checks + 1 %}', status: '{% $states.result.Payload.status %}' },
        Next: 'Restored?',
      },
      'Restored?': {
        Type: 'Choice',
        Choices: [
          { Condition: '{% $status = "COMPLETED" %}', Next: 'Done' },
          { Condition: '{% $checks >= $limit %}', Next: 'Gave up' },
          { Condition: deadline, Next: 'Gave up' },
        ],
        Default: 'Wait a minute',
      },
      'Done': { Type: 'Succeed' },
      'Gave up': { Type: 'Fail', Error: 'Restore.Failed' },
    },
  } as unknown as StateMachineDefinition;
}

describe('a loop bounded by the time since the execution started', () => {
  it('proves the checks from the deadline and the constant Wait, saying the clock bounds it', () => {
    const graph = new MachineGraph(restore(), NO_FACTS);
    const eleven = proveOnGraph(graph, Property.atMost('Check restore', 11));
    expect(eleven).toEqual({ proved: true, reason: expect.stringContaining('since the execution started') });
    expect(proveOnGraph(graph, Property.atMost('Check restore', 10)).proved).toBe(false);
    expect(proveOnGraph(graph, Property.leadsTo('Restored?', ['Done', 'Gave up', 'Wait a minute'])).proved).toBe(true);
  });

  it('reads the deadline written the other way round, and with $now()', () => {
    const other = restore(60, '{% 600000 < $toMillis($now()) - $toMillis($states.context.Execution.StartTime) %}');
    expect(proveOnGraph(new MachineGraph(other, NO_FACTS), Property.atMost('Check restore', 11)).proved).toBe(true);
  });

  it('proves no bound where the Wait can be 0 s', () => {
    const graph = new MachineGraph(restore('{% $states.input.pause %}'), NO_FACTS);
    expect(proveOnGraph(graph, Property.atMost('Check restore', 11)).proved).toBe(false);
  });

  it('proves no bound where the deadline rule leaves the loop only while little time has passed', () => {
    const graph = new MachineGraph(restore(60, '{% $millis() - $toMillis($states.context.Execution.StartTime) < 600000 %}'), NO_FACTS);
    expect(proveOnGraph(graph, Property.atMost('Check restore', 11)).proved).toBe(false);
  });

  it('earns HOLDS in verify with the bound stated', async () => {
    const report = await Workflow.fromDefinition(restore()).verify({ checks: Property.atMost('Check restore', 11) }, { budgetSeconds: 20 });
    expect(report.properties.checks.verdict).toBe('HOLDS');
    expect(report.properties.checks.reason).toContain("no path of the graph enters 'Check restore' more than 11 times");
  });
});

import { AwsLimits } from '../../src/asl/limits';
import { StatesErrors } from '../../src/asl/states-errors';
import { Property } from '../../src/explore/properties';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { stopExploreClock } from '../explore-clock';
import { retried } from './verify-setup';

/*
 * A Task whose Retry allows more attempts than an execution's history holds: AWS fails the
 * execution with States.Runtime once its history reaches 25,000 events, wherever it is and before
 * any Retry or Catch (Step Functions quotas, "Maximum execution history size"), and the interpreter
 * ends a retried Task there (1b2a8478). verify's counterexample is that run, and its reason must
 * say the run ended at the history limit, not leave the user to guess why a Task caught by
 * States.ALL ended the run FAILED.
 */

stopExploreClock();

const limit = AwsLimits.HISTORY_EVENTS.toLocaleString('en-US');

describe('a Retry whose MaxAttempts reaches the history limit', () => {
  it('is VIOLATED by the run the limit ends, and the reason says it ended at the history limit', async () => {
    const wf = Workflow.fromDefinition(retried(20_000));
    const report = await wf.verify({
      handled: Property.leadsTo('Call', ['Done', 'Handled']),
      succeeds: Property.endsWith({ statuses: ['SUCCEEDED'] }),
    });
    for (const name of ['handled', 'succeeds'] as const) {
      const v = report.properties[name];
      expect([name, v.verdict]).toEqual([name, 'VIOLATED']);
      expect(v.reason).toContain(`ended at the history limit: AWS fails an execution whose history reaches ${limit} events with ${StatesErrors.RUNTIME}`);
      expect(v.reason).toMatch(/'Call' was called [\d,]+ times, as its Retry \(MaxAttempts 20,000\) lets it/);
      expect(v.counterexample).toMatchObject({ status: 'FAILED', error: StatesErrors.RUNTIME, path: ['Call'] });
      // It reproduces as a test runs it, and ends there, not after every attempt the Retry allows.
      const again = await wf.run(v.counterexample!.input, { mocks: mocksFromJson(v.counterexample!.mocks, name) });
      expect({ status: again.status, error: again.error, cause: again.cause }).toEqual({
        status: 'FAILED', error: StatesErrors.RUNTIME, cause: `The execution reached the maximum number of history events (${AwsLimits.HISTORY_EVENTS}).`,
      });
      expect(again.attempts('Call').length).toBeLessThan(20_001);
    }
    // verify and the re-runs each go to the 25,000-event limit: 13 s at load 5, past the 60 s
    // default at load 20 (a fresh clone's suite beside six agents); this bound is only against a hang.
  }, 300_000);

  it('says nothing of the limit where the Retry runs out first', async () => {
    const wf = Workflow.fromDefinition(retried(3));
    const report = await wf.verify({ never: Property.never('Handled') });
    expect(report.properties.never.verdict).toBe('VIOLATED');
    expect(report.properties.never.reason).not.toContain('history limit');
    expect(report.properties.never.counterexample).toMatchObject({ status: 'SUCCEEDED', path: ['Call', 'Handled'] });
  });
});

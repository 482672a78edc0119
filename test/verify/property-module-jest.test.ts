import * as path from 'path';
import { PropertyError } from '../../src/explore/properties';
import { Workflow } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';
import { ORDER, scratchFolder } from './verify-setup';

/*
 * Workflow.verify in a jest test, given a property module's path instead of an object: the
 * module is loaded, and its functions of the run called, in a worker thread bounded in time and
 * memory, as `stepwright verify --property` does, so a function that never returns is stopped and
 * named instead of holding the test where no timer can fire. Each test waits for the stop it
 * causes; none asserts how long anything took.
 */

stopExploreClock();

const wf = () => Workflow.fromDefinition(ORDER);
const { write } = scratchFolder('verify-module-');

describe('Workflow.verify given a property module', () => {
  it('checks its exports by name, functions of the run called in the thread, as verify checks an object of them', async () => {
    const report = await wf().verify(path.join(__dirname, 'fixtures', 'order.properties.js'));
    expect(Object.keys(report.properties)).toEqual(['neverAudit', 'neverReview', 'chargesOnce', 'succeedsOrDeclines']);
    expect(report.properties.neverAudit.verdict).toBe('HOLDS');
    expect(report.properties.neverReview.verdict).toBe('VIOLATED');
    expect(report.properties.succeedsOrDeclines.verdict).toBe('VIOLATED');
  });

  it('stops a function of the run that never returns at predicateTimeoutMs and rejects, naming it and the option, with the report of the others', async () => {
    const file = write('loops.properties.js', [
      "exports.neverReview = { kind: 'never', state: 'Review' };",
      'exports.loops = (run) => { while (true) {} };',
    ].join('\n'));
    const error = await wf().verify(file, { predicateTimeoutMs: 500 }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(PropertyError);
    expect((error as Error).message).toContain("property 'loops' did not return within 500 ms");
    expect((error as Error).message).toContain('predicateTimeoutMs');
    const report = (error as PropertyError).report!;
    expect(report.properties.neverReview.verdict).toBe('VIOLATED');
    expect(report.properties.loops.verdict).toBe('UNKNOWN');
  });

  it('refuses a predicateTimeoutMs that is not a positive whole number', async () => {
    await expect(wf().verify(path.join(__dirname, 'fixtures', 'order.properties.js'), { predicateTimeoutMs: 0 })).rejects.toThrow(/predicateTimeoutMs must be a positive whole number/);
  });
});

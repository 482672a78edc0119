import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { Workflow } from '../../src/testing/workflow';
import '../../src/testing/setup';
import { fail, succeed } from '../../src/workbench/mocks/answers';

/*
 * A DISTRIBUTED Map with no tolerated failure threshold fails with its child's own error here;
 * what AWS raises there is not recorded (docs/fidelity.md, "A Distributed Map's error without a
 * tolerance"). Where the Map's Retry or Catch would take the two answers apart, the run says so.
 */

/** A DISTRIBUTED Map over `$` whose Validate Task a mock fails with Item.Bad for the item 2, with `fields` added. */
function machine(fields: { Catch?: ReadonlyArray<{ ErrorEquals: string[]; Next: string }>; [field: string]: unknown }): Workflow {
  const handlers = Object.fromEntries((fields.Catch ?? []).map((c) => [c.Next, { Type: 'Pass', End: true }]));
  return Workflow.fromDefinition({
    StartAt: 'Import',
    States: {
      Import: {
        Type: 'Map',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Validate',
          States: { Validate: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': 'validate', 'Payload.$': '$' }, End: true } },
        },
        ...fields,
        End: true,
      },
      ...handlers,
    },
  } as unknown as StateMachineDefinition, { name: 'Orders' });
}
const mocks = { Validate: (item: unknown) => (item === 2 ? fail('Item.Bad', 'item 2') : succeed({ ok: true })) };
const ADVICE = "Map 'Import' is DISTRIBUTED with no ToleratedFailureCount or ToleratedFailurePercentage, and a child execution failed with Item.Bad";

describe('advice on a Distributed Map\'s error without a tolerance', () => {
  it('is given when its Catch takes the child\'s error and not States.ExceedToleratedFailureThreshold', async () => {
    const run = await machine({ Catch: [{ ErrorEquals: ['Item.Bad'], Next: 'Handled' }] }).run([1, 2], { mocks });
    expect(run).toSucceed();
    expect(run.path).toEqual(['Import', 'Validate', 'Validate', 'Handled']);
    expect(run.advice).toEqual([{ state: 'Import', message: expect.stringContaining(ADVICE) }]);
    expect(run.advice[0].message).toContain('its Catch #1 (ErrorEquals ["Item.Bad"]) takes it');
    expect(run.advice[0].message).toContain('AWS may fail the Map with States.ExceedToleratedFailureThreshold');
  });

  it('is given when its Retry takes the child\'s error and not the threshold\'s', async () => {
    const run = await machine({ Retry: [{ ErrorEquals: ['Item.Bad'], MaxAttempts: 1 }] }).run([1, 2], { mocks });
    expect(run).toFail('Item.Bad');
    expect(run.advice).toEqual([{ state: 'Import', message: expect.stringContaining('its Retry #1 (ErrorEquals ["Item.Bad"]) takes it') }]);
  });

  it('is given when only the threshold\'s error has a Catch, which the child\'s error passes by', async () => {
    const run = await machine({ Catch: [{ ErrorEquals: ['States.ExceedToleratedFailureThreshold'], Next: 'Threshold' }] }).run([1, 2], { mocks });
    expect(run).toFail('Item.Bad');
    expect(run.advice).toEqual([{ state: 'Import', message: expect.stringContaining('no Catch rule takes it, while Catch #1 would take States.ExceedToleratedFailureThreshold') }]);
  });

  it.each([
    ['a Catch on both errors', { Catch: [{ ErrorEquals: ['Item.Bad', 'States.ExceedToleratedFailureThreshold'], Next: 'Handled' }] }],
    ['a Catch on States.ALL', { Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }] }],
    ['a Catch on States.TaskFailed', { Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Handled' }] }],
    ['no Retry or Catch', {}],
    ['a Catch on another error', { Catch: [{ ErrorEquals: ['Item.Other'], Next: 'Handled' }] }],
  ])('is not given with %s: both answers take the same path', async (_, fields) => {
    const run = await machine(fields).run([1, 2], { mocks });
    expect(run.childFailures).toEqual([expect.objectContaining({ error: 'Item.Bad' })]);
    expect(run.advice).toEqual([]);
  });

  it('is not given for a Map that declares a tolerance: past it the Map fails with States.ExceedToleratedFailureThreshold', async () => {
    const run = await machine({ ToleratedFailureCount: 0, Catch: [{ ErrorEquals: ['Item.Bad'], Next: 'Handled' }] }).run([1, 2], { mocks });
    expect(run).toFail('States.ExceedToleratedFailureThreshold');
    expect(run.advice).toEqual([]);
  });

  it('is not given when no child failed', async () => {
    const run = await machine({ Catch: [{ ErrorEquals: ['Item.Bad'], Next: 'Handled' }] }).run([1, 3], { mocks });
    expect(run).toSucceed();
    expect(run.advice).toEqual([]);
  });
});

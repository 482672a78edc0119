import { machine, replays } from './helpers';
import type { ExploreReport } from '../../src/explore/report-types';

/*
 * Issue 77, explore round 4: a Map whose iterations ask a service about each item, then a Choice
 * on how many of the answers say something, counted the ways people write it: a `$filter` with a
 * lambda, a filter on `$.field`, and a field the iteration's Output renames before a filter
 * compares it with a number. Explore chooses the inner Task's answer per item, and each scenario
 * runs again as reported.
 */

const LAMBDA = 'arn:aws:states:::lambda:invoke';
const PROBE = 'arn:aws:lambda:us-east-1:123456789012:function:probe';

async function everyGoal(def: object): Promise<ExploreReport> {
  const wf = machine(def);
  const report = await wf.explore();
  for (const c of ['states', 'transitions', 'choiceRules'] as const) expect(report[c].notReached).toEqual([]);
  for (const s of report.scenarios) await replays(wf, s);
  return report;
}

/** Hosts probed one by one; the Choice routes on the number of failed probes, counted by `failed`. */
function hostsMachine(failed: string, output: object = { host: '{% $states.input %}', status: '{% $states.result.Payload.status %}' }, slow?: string) {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Check hosts',
    States: {
      'Check hosts': {
        Type: 'Map',
        Items: '{% $states.input.hosts %}',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'Probe',
          States: {
            Probe: { Type: 'Task', Resource: LAMBDA, Arguments: { FunctionName: PROBE, Payload: { host: '{% $states.input %}' } }, Output: output, End: true },
          },
        },
        Assign: { failed: `{% ${failed} %}`, ...(slow ? { slow: `{% ${slow} %}` } : {}) },
        Next: 'Any failed?',
      },
      'Any failed?': {
        Type: 'Choice',
        Choices: [
          { Condition: '{% $failed > 1 %}', Next: 'Page on-call' },
          { Condition: '{% $failed = 1 %}', Next: 'Open ticket' },
          ...(slow ? [{ Condition: '{% $slow > 0 %}', Next: 'Note slowness' }] : []),
        ],
        Default: 'All healthy',
      },
      'Page on-call': { Type: 'Pass', End: true },
      'Open ticket': { Type: 'Pass', End: true },
      ...(slow ? { 'Note slowness': { Type: 'Pass', End: true } } : {}),
      'All healthy': { Type: 'Succeed' },
    },
  };
}

describe('explore on a Choice that counts the answers a Map\'s iterations gave', () => {
  it('makes as many answers pass a $filter lambda as the count wants ($count($filter($states.result, function($r) {…})))', async () => {
    const report = await everyGoal(hostsMachine("$count($filter($states.result, function($r) { $r.status = 'FAILED' }))"));
    const paging = report.scenarios.find((s) => s.path.includes('Page on-call'))!;
    expect((paging.input as { hosts: unknown[] }).hosts.length).toBeGreaterThanOrEqual(2);
  });

  it('reads a filter on $.field as the filter on the field ($count($states.result[$.status = "FAILED"]))', async () => {
    await everyGoal(hostsMachine("$count($states.result[$.status = 'FAILED'])"));
  });

  it('gives a field the iteration\'s Output renames the kind a later filter compares the new name with', async () => {
    await everyGoal(hostsMachine(
      "$count($states.result[status = 'FAILED'])",
      { status: '{% $states.result.Payload.status %}', latency: '{% $states.result.Payload.latencyMs %}' },
      '$count($states.result[latency > 500])',
    ));
  });
});

/** Files loaded one by one; the Map gives its results as its output, and the Choice after it reads a field of each. */
function loadsMachine(condition: string) {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Load files',
    States: {
      'Load files': {
        Type: 'Map',
        Items: '{% $states.input.files %}',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'Load',
          States: {
            Load: {
              Type: 'Task',
              Resource: LAMBDA,
              Arguments: { FunctionName: PROBE, Payload: { file: '{% $states.input %}' } },
              Output: { loaded: '{% $states.result.Payload.rows %}', ok: '{% $states.result.Payload.ok %}' },
              End: true,
            },
          },
        },
        Next: 'Enough rows?',
      },
      'Enough rows?': { Type: 'Choice', Choices: [{ Condition: `{% ${condition} %}`, Next: 'Large import' }], Default: 'Small import' },
      'Large import': { Type: 'Succeed' },
      'Small import': { Type: 'Succeed' },
    },
  };
}

describe('explore on a Choice that reads a field of every result a Map gave as its output', () => {
  it('sums the field over the results, steering each iteration\'s answer ($sum($states.input.loaded) > 1)', async () => {
    const report = await everyGoal(loadsMachine('$sum($states.input.loaded) > 1'));
    expect(report.search.complete).toBe(true);
  });

  it('compares the field of a single result as JSONata reads it of a list of one ($states.input.loaded > 1)', async () => {
    const report = await everyGoal(loadsMachine('$states.input.loaded > 1'));
    expect(report.search.complete).toBe(true);
  });
});

/** Claims reviewed one by one by a service whose answer the iteration's Output passes on whole; the Choice after the Map counts the rejections. */
function reviewsMachine(condition: string, mapFields: object = {}) {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Review claims',
    States: {
      'Review claims': {
        Type: 'Map',
        Items: '{% $states.input.claims %}',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'Review',
          States: {
            Review: {
              Type: 'Task',
              Resource: LAMBDA,
              Arguments: { FunctionName: PROBE, Payload: '{% $states.input %}' },
              Output: '{% $states.result.Payload %}',
              End: true,
            },
          },
        },
        ...mapFields,
        Next: 'Any rejected?',
      },
      'Any rejected?': { Type: 'Choice', Choices: [{ Condition: `{% ${condition} %}`, Next: 'Escalate' }], Default: 'Approve all' },
      'Escalate': { Type: 'Succeed' },
      'Approve all': { Type: 'Succeed' },
    },
  };
}

describe('explore on a count of a Map\'s results filtered on a field only the iteration\'s Task answers', () => {
  it('answers the field in each iteration when the Map\'s output is filtered ($count($states.input[status=\'REJECTED\']) > 0)', async () => {
    const report = await everyGoal(reviewsMachine("$count($states.input[status='REJECTED']) > 0"));
    expect(report.search.complete).toBe(true);
    // The status is the Task's to answer: the run that escalates has the Task answer it.
    const escalating = report.scenarios.find((s) => s.path.includes('Escalate'))!;
    expect(escalating.mocks).toEqual({ Review: { Return: { status: 'REJECTED' } } });
  });

  it('does the same for the results the Map\'s Output or Assign filters ($states.result[status=\'REJECTED\'])', async () => {
    await everyGoal(reviewsMachine("$count($states.input.reviewed[status='REJECTED']) > 0", { Output: { reviewed: '{% $states.result %}' } }));
    await everyGoal(reviewsMachine('$rejected > 1', { Assign: { rejected: "{% $count($states.result[$.status = 'REJECTED']) %}" } }));
  });
});

/**
 * Checks run on every item, their count assigned before the Map or by the Map itself; the Choice after
 * the Map compares the results whose `ok` is truthy (`results[ok]`, a field as the filter's predicate)
 * with that count. No item list passes it unless each iteration's Task answers `ok`.
 */
function allOkMachine(assignedBy: 'Prepare' | 'Check all') {
  const expected = { expected: '{% $count($states.input.items) %}' };
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Prepare',
    States: {
      'Prepare': { Type: 'Pass', ...(assignedBy === 'Prepare' ? { Assign: expected } : {}), Next: 'Has items?' },
      'Has items?': { Type: 'Choice', Choices: [{ Condition: '{% $count($states.input.items) > 0 %}', Next: 'Check all' }], Default: 'Nothing to check' },
      'Nothing to check': { Type: 'Succeed' },
      'Check all': {
        Type: 'Map',
        Items: '{% $states.input.items %}',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'Check',
          States: {
            Check: { Type: 'Task', Resource: LAMBDA, Arguments: { FunctionName: PROBE, Payload: '{% $states.input %}' }, Output: '{% $states.result.Payload %}', End: true },
          },
        },
        ...(assignedBy === 'Check all' ? { Assign: expected } : {}),
        Output: { results: '{% $states.result %}' },
        Next: 'All ok?',
      },
      'All ok?': { Type: 'Choice', Choices: [{ Condition: '{% $count($states.input.results[ok]) = $expected %}', Next: 'Done' }], Default: 'Some failed' },
      'Done': { Type: 'Succeed' },
      'Some failed': { Type: 'Fail', Error: 'SomeFailed' },
    },
  };
}

describe('explore on a count of a Map\'s results compared with a count a variable holds', () => {
  it.each(['Prepare', 'Check all'] as const)('answers `ok` in every iteration when %s assigns the count ($count(results[ok]) = $expected)', async (by) => {
    const report = await everyGoal(allOkMachine(by));
    expect(report.search.complete).toBe(true);
    const done = report.scenarios.find((s) => s.path.includes('Done'))!;
    // Every iteration's answer holds a truthy `ok`: the count of them is the count of the items.
    const answers = ([] as unknown[]).concat(done.mocks.Check);
    expect(answers.length).toBeGreaterThan(0);
    for (const a of answers) expect((a as { Return: { ok: unknown } }).Return.ok).toBeTruthy();
  });
});

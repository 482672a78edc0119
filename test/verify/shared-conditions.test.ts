import type { StateMachineDefinition } from '../../src/asl';
import { Property } from '../../src/explore/properties';
import { MachineGraph } from '../../src/explore/verify-graph';
import { proveOnGraph } from '../../src/explore/verify-prove';
import { Workflow } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';
import { NO_FACTS } from './verify-setup';

/*
 * A poll bounded by a counter that a Choice reads together with the answer: `$status =
 * 'IN_PROGRESS' and $polls >= 5` goes to 'Too slow', and the next rule, `$status = 'IN_PROGRESS'`,
 * goes round again. The two rules read one `$status` (a Choice evaluates its rules one after
 * another on the same input and variables), so once `$polls` is 5 the second cannot match where
 * the first did not: the loop turns at most 5 times. Read apart, each `$status = 'IN_PROGRESS'`
 * may be true or false and the loop looks unbounded. Where the rule that goes round reads
 * something else, or where `$now()` or `$random()` make two alike calls differ, no bound holds.
 */

stopExploreClock();

/** CodeBuild polled until it ends, at most five polls (`polls`), as the corpus's FreshBuildPoller; `again` is the rule that goes round. */
function poller(again = "{% $status = 'IN_PROGRESS' %}", tooSlow = "{% $status = 'IN_PROGRESS' and $polls >= 5 %}"): StateMachineDefinition {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Start build',
    States: {
      'Start build': {
        Type: 'Task',
        Resource: 'arn:aws:states:::codebuild:startBuild',
        Arguments: { ProjectName: 'web-app' },
        Assign: { buildId: '{% $states.result.Build.Id %}', polls: 0 },
        Next: 'Wait',
      },
      'Wait': { Type: 'Wait', Seconds: 5, Next: 'Get build' },
      'Get build': {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:codebuild:batchGetBuilds',
        Arguments: { Ids: ['{% $buildId %}'] },
        Assign: { status: '{% $states.result.Builds[0].BuildStatus %}', polls: '{% $polls + 1 %}' },
        Next: 'Build done?',
      },
      'Build done?': {
        Type: 'Choice',
        Choices: [
          { Condition: "{% $status = 'SUCCEEDED' %}", Next: 'Deploy' },
          { Condition: tooSlow, Next: 'Too slow' },
          { Condition: again, Next: 'Wait' },
        ],
        Default: 'Build stopped',
      },
      'Deploy': { Type: 'Succeed' },
      'Too slow': { Type: 'Fail', Error: 'Build.TooSlow' },
      'Build stopped': { Type: 'Fail', Error: 'Build.Stopped' },
    },
  } as unknown as StateMachineDefinition;
}

describe('a condition written in two rules of one Choice has one truth in both', () => {
  it('proves the poll turns at most as often as the counter the rules read together allows', () => {
    const graph = new MachineGraph(poller(), NO_FACTS);
    expect(proveOnGraph(graph, Property.atMost('Get build', 5))).toEqual({ proved: true, reason: expect.stringContaining('bounded by the counter $polls') });
    expect(proveOnGraph(graph, Property.atMost('Get build', 4)).proved).toBe(false);
    expect(proveOnGraph(graph, Property.leadsTo('Build done?', ['Deploy', 'Too slow', 'Wait', 'Build stopped'])).proved).toBe(true);
  });

  it('proves no bound where the rule that goes round reads another condition than the one beside the counter', () => {
    const graph = new MachineGraph(poller("{% $status = 'QUEUED' %}"), NO_FACTS);
    expect(proveOnGraph(graph, Property.atMost('Get build', 5)).proved).toBe(false);
  });

  it('proves no bound where the shared condition calls a function whose value changes between calls', () => {
    const coin = '{% $random() < 0.5 %}';
    const graph = new MachineGraph(poller(coin, `{% ${coin.slice(3, -3)} and $polls >= 5 %}`), NO_FACTS);
    expect(proveOnGraph(graph, Property.atMost('Get build', 5)).proved).toBe(false);
  });

  it('proves the same of JSONPath rules that compare one field alike', () => {
    const def = poller() as unknown as { QueryLanguage?: string; States: Record<string, Record<string, unknown>> };
    delete def.QueryLanguage;
    def.States['Start build'] = { Type: 'Task', Resource: 'arn:aws:states:::codebuild:startBuild', Parameters: { ProjectName: 'web-app' }, Assign: { polls: 0 }, Next: 'Wait' };
    def.States['Get build'] = { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:codebuild:batchGetBuilds', Parameters: { Ids: ['b'] }, Assign: { 'polls.$': 'States.MathAdd($polls, 1)' }, ResultSelector: { 'status.$': '$.Builds[0].BuildStatus' }, Next: 'Build done?' };
    def.States['Build done?'].Choices = [
      { Variable: '$.status', StringEquals: 'SUCCEEDED', Next: 'Deploy' },
      { And: [{ Variable: '$.status', StringEquals: 'IN_PROGRESS' }, { Variable: '$polls', NumericGreaterThanEquals: 5 }], Next: 'Too slow' },
      { Variable: '$.status', StringEquals: 'IN_PROGRESS', Next: 'Wait' },
    ];
    const graph = new MachineGraph(def as unknown as StateMachineDefinition, NO_FACTS);
    expect(proveOnGraph(graph, Property.atMost('Get build', 5))).toEqual({ proved: true, reason: expect.stringContaining('bounded by the counter $polls') });
  });

  it('earns HOLDS in verify, with the bound stated, and a run that polls five times breaks at most four', async () => {
    const wf = Workflow.fromDefinition(poller());
    const report = await wf.verify({ five: Property.atMost('Get build', 5), four: Property.atMost('Get build', 4) }, { budgetSeconds: 20 });
    expect(report.properties.five.verdict).toBe('HOLDS');
    expect(report.properties.five.reason).toContain("no path of the graph enters 'Get build' more than 5 times");
    expect(report.properties.four.verdict).toBe('VIOLATED');
  });
});

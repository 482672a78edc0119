import { machine, reaching, replays } from './helpers';

/*
 * Issue 77: a `.sync` Task's answer explore chooses holds a job state its describe call lists. A
 * JSONPath Choice on an EMR cluster's state after createCluster.sync: the Default (not WAITING)
 * was not reached, the solver's "" being no state the service lists. Explore now picks one of
 * the states that end the job without failing the Task, the one AWS's pages decide first
 * (WAITING), and one no page decides (RUNNING, TERMINATING, TERMINATED) only where the rules want
 * another; a scenario that rests on such a state says so in its name.
 */

/** createCluster.sync, then a JSONPath Choice on the cluster's state. */
function clusterChoice(rule: object) {
  return {
    StartAt: 'Create cluster',
    States: {
      'Create cluster': {
        Type: 'Task',
        Resource: 'arn:aws:states:::elasticmapreduce:createCluster.sync',
        Parameters: { Name: 'nightly', ReleaseLabel: 'emr-6.15.0', Instances: { KeepJobFlowAliveWhenNoSteps: true }, JobFlowRole: 'r', ServiceRole: 's' },
        ResultPath: '$.cluster',
        Next: 'Ready?',
      },
      'Ready?': { Type: 'Choice', Choices: [{ Variable: '$.cluster.Cluster.Status.State', ...rule, Next: 'Ready' }], Default: 'Not ready' },
      'Ready': { Type: 'Succeed' },
      'Not ready': { Type: 'Pass', End: true },
    },
  };
}

const stateOf = (mocks: object): unknown => (mocks as { 'Create cluster': { Return: { Cluster: { Status: { State: string } } } } })['Create cluster'].Return.Cluster.Status.State;

describe('explore chooses a .sync job\'s state among those that end it, decided ones first', () => {
  it('reaches the Default of a rule on WAITING with a state no page decides, and names it in the scenario', async () => {
    const wf = machine(clusterChoice({ StringEquals: 'WAITING' }));
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const other = reaching(report, 'states', 'Not ready');
    expect(['RUNNING', 'TERMINATING', 'TERMINATED']).toContain(stateOf(other.mocks));
    expect(other.name).toContain(`[rests on a job end no AWS page decides: 'Create cluster' .Cluster.Status.State ${String(stateOf(other.mocks))}]`);
    await replays(wf, other);
    // The run that takes the rule rests on WAITING, which the page decides: its name says nothing of it.
    expect(reaching(report, 'states', 'Ready').name).not.toContain('no AWS page decides');
  });

  it('takes the Default of a rule on TERMINATED with WAITING, the state a cluster that was created ends in', async () => {
    const report = await machine(clusterChoice({ StringEquals: 'TERMINATED' })).explore();
    expect(report.states.notReached).toEqual([]);
    const other = reaching(report, 'states', 'Not ready');
    expect(stateOf(other.mocks)).toBe('WAITING');
    expect(other.name).not.toContain('no AWS page decides');
  });
});

describe('a JSONata Condition on a .sync job\'s state', () => {
  it('reaches the Default of a Condition on WAITING with a state no page decides, named in the scenario', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Create cluster',
      States: {
        'Create cluster': {
          Type: 'Task',
          Resource: 'arn:aws:states:::elasticmapreduce:createCluster.sync',
          Arguments: { Name: 'nightly', ReleaseLabel: 'emr-6.15.0', Instances: { KeepJobFlowAliveWhenNoSteps: true }, JobFlowRole: 'r', ServiceRole: 's' },
          Assign: { state: '{% $states.result.Cluster.Status.State %}' },
          Next: 'Ready?',
        },
        'Ready?': { Type: 'Choice', Choices: [{ Condition: "{% $state = 'WAITING' %}", Next: 'Ready' }], Default: 'Not ready' },
        'Ready': { Type: 'Succeed' },
        'Not ready': { Type: 'Pass', End: true },
      },
    });
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    const other = reaching(report, 'states', 'Not ready');
    expect(['RUNNING', 'TERMINATING', 'TERMINATED']).toContain(stateOf(other.mocks));
    expect(other.name).toContain('[rests on a job end no AWS page decides');
    await replays(wf, other);
  });
});

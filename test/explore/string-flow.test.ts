import { machine, reaching, replays, sentimentRouteMachine } from './helpers';

/*
 * Issue 77, explore round 4: JSONata string conditions decided by values the flow fixes, both
 * ways. A text a service's enum holds in another case (`$lowercase` of Comprehend's Sentiment) is
 * reached by the enum value; one no enum value gives is proved unreachable; a variable set once to
 * a constant is known at a state several branches lead to; a `$join` of a literal and a field, and
 * a text joined with `&`, are steered to the text a rule compares with.
 */

describe('explore on JSONata string conditions the flow decides', () => {
  it('reaches a rule on $lowercase of an enum answer with the enum value in its own case', async () => {
    const wf = machine(sentimentRouteMachine());
    const report = await wf.explore();
    const s = reaching(report, 'choiceRules', 'Route#0');
    expect(s.mocks).toMatchObject({ Detect: { Return: { Sentiment: 'NEGATIVE' } } });
    await replays(wf, s);
  });

  it('proves a rule on $lowercase of an enum answer that names no value of the enum, and the Default of a constant variable', async () => {
    const report = await machine(sentimentRouteMachine()).explore();
    expect(report.choiceRules.unreachable.map((u) => u.rule).sort()).toEqual(['Channel?#default', 'Route#1']);
    expect(report.states.unreachable.map((u) => u.state).sort()).toEqual(['Calm down', 'Send SMS']);
    const channel = report.choiceRules.unreachable.find((u) => u.rule === 'Channel?#default')!;
    expect(channel.reason).toContain('$channel: "email"');
    for (const c of ['states', 'transitions', 'choiceRules'] as const) expect(report[c].notReached).toEqual([]);
  });

  it('steers a $join of a literal and a lowercased field, and a text joined with &, to the text compared', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Init',
      States: {
        'Init': {
          Type: 'Pass',
          Assign: { queue: "{% $join(['support', $lowercase($states.input.tier)], '-') %}", region: '{% $uppercase($states.input.region) %}', channel: 'email' },
          Next: 'Route',
        },
        'Route': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $queue = 'support-gold' %}", Next: 'Priority' },
            { Condition: "{% $region & '/' & $channel = 'EU/email' %}", Next: 'EU desk' },
          ],
          Default: 'Standard',
        },
        'Priority': { Type: 'Succeed' },
        'EU desk': { Type: 'Succeed' },
        'Standard': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    for (const c of ['states', 'transitions', 'choiceRules'] as const) expect(report[c].notReached).toEqual([]);
    for (const s of report.scenarios) await replays(wf, s);
  });
});

import { machine, reaching, replays, reportsMachine } from './helpers';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { proveByFlow } from '../../src/explore/flow-proofs';
import { machineStates } from '../../src/explore/goals';
import type { ExploreReport } from '../../src/explore/report-types';
import type { Workflow } from '../../src/testing';
import { mocksFromJson } from '../../src/testing';

/*
 * Issue 77: a JSONata Choice branch is unreachable when, over every value the states on the one
 * way into the Choice can compute (their answers as the contract and AWS's failing answers leave
 * them, their Output and Assign expressions), a rule decides against it: `$count` of what `$map`
 * built is never 0 once the Assign that built it went through, and an HTTP status compared with
 * the 2xx range the HTTP Task lets through is always in it. Explore proves each with the way,
 * the cases that fail a state on it, and the rule; beside each, the same idiom where a value
 * does lead to the branch, which explore must reach and never claim unreachable.
 */

/** A webhook's status turned into `sent` or `not sent` by a Pass, then a Choice on it. */
function webhookMachine(resource: string, status = '$states.result.StatusCode') {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Call',
    States: {
      'Call': {
        Type: 'Task',
        Resource: resource,
        Arguments: resource.includes('http:invoke')
          ? { ApiEndpoint: 'https://hooks.example.com/x', Method: 'POST', Authentication: { ConnectionArn: 'arn:aws:events:us-east-1:123456789012:connection/c/1' } }
          : { FunctionName: 'hook', Payload: {} },
        Output: `{% ${status} %}`,
        Next: 'Judge',
      },
      'Judge': {
        Type: 'Pass',
        Output: "{% {'status': $states.input >= 200 and $states.input < 300 ? 'sent' : 'not sent'} %}",
        Next: 'Sent?',
      },
      'Sent?': { Type: 'Choice', Choices: [{ Condition: "{% $states.input.status = 'sent' %}", Next: 'Done' }], Default: 'Refused' },
      'Done': { Type: 'Succeed' },
      'Refused': { Type: 'Fail', Error: 'Refused' },
    },
  };
}

async function explore(def: object): Promise<{ report: ExploreReport; replay: () => Promise<void> }> {
  const wf = machine(def);
  const report = await wf.explore();
  return { report, replay: async () => { for (const s of report.scenarios) await replays(wf, s); } };
}

function unreachableRule(report: ExploreReport, key: string) {
  return report.choiceRules.unreachable.find((n) => n.rule === key);
}

describe('explore proves a Choice branch by the flow of values into it', () => {
  it('proves the Default of $count($v) > 0 unreachable when $v is a $map the Assign before it built', async () => {
    const { report, replay } = await explore(reportsMachine("{% $map($states.result.Items, function($i) { {'id': $i.id.S} }) %}"));
    const note = unreachableRule(report, 'Any?#default');
    expect(note?.reason).toMatch(/every run into it comes along 'Query'/);
    expect(note?.reason).toMatch(/Assign\.reports .* gives nothing: 'Query' fails with States\.QueryEvaluationError/);
    expect(note?.reason).toMatch(/Choices\[0\] .* is always true/);
    expect(report.choiceRules.proofs?.['Any?#default']).toMatchObject({ kind: 'value-flow', state: 'Any?', way: ['Query'], rule: 0, always: true });
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['None']);
    expect(report.states.notReached).toEqual([]);
    await replay();
  });

  it('reaches the Default of $count($v) > 0, and claims nothing, when $v is the list itself, which may be empty', async () => {
    const { report, replay } = await explore(reportsMachine('{% $states.result.Items %}'));
    expect(unreachableRule(report, 'Any?#default')).toBeUndefined();
    expect(reaching(report, 'states', 'None')).toBeDefined();
    await replay();
  });

  it("proves a Default unreachable when an HTTP Task's status, compared with 2xx, is all AWS lets through", async () => {
    const { report, replay } = await explore(webhookMachine('arn:aws:states:::http:invoke'));
    const note = unreachableRule(report, 'Sent?#default');
    expect(note?.reason).toMatch(/comes along 'Call' -> 'Judge'/);
    expect(note?.reason).toMatch(/'Call' answers \.StatusCode a number outside \[200, 299\]: 'Call' fails with States\.Http\.StatusCode\.<StatusCode>/);
    expect(report.choiceRules.proofs?.['Sent?#default']).toMatchObject({ kind: 'value-flow', way: ['Call', 'Judge'], rule: 0, always: true });
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Refused']);
    await replay();
  });

  it('proves the Default when the status is $merge-d over the input, whose fields the last object overrides', async () => {
    const def = webhookMachine('arn:aws:states:::http:invoke');
    def.States.Judge.Output = "{% $merge([$states.input, {'status': $states.input >= 200 and $states.input < 300 ? 'sent' : 'not sent'}]) %}";
    const proof = proveByFlow(machineStates(def as unknown as StateMachineDefinition), 'Sent?#default');
    expect(proof?.proof).toMatchObject({ kind: 'value-flow', way: ['Call', 'Judge'], rule: 0, always: true });
    const { report, replay } = await explore(def);
    expect(unreachableRule(report, 'Sent?#default')).toBeDefined();
    await replay();
  });

  it("claims nothing when the execution's input comes last in the $merge, where a status it holds wins", async () => {
    const def = webhookMachine('arn:aws:states:::http:invoke');
    def.States.Judge.Output = "{% $merge([{'status': $states.input < 300 ? 'sent' : 'not sent'}, $states.context.Execution.Input]) %}";
    expect(proveByFlow(machineStates(def as unknown as StateMachineDefinition), 'Sent?#default')).toBeUndefined();
    const { report } = await explore(def);
    expect(unreachableRule(report, 'Sent?#default')).toBeUndefined();
  });

  it('reaches the same Default, and claims nothing, when the status comes from a Lambda payload no rule of AWS judges', async () => {
    const { report, replay } = await explore(webhookMachine('arn:aws:states:::lambda:invoke', '$states.result.Payload.status'));
    expect(unreachableRule(report, 'Sent?#default')).toBeUndefined();
    expect(reaching(report, 'states', 'Refused')).toBeDefined();
    await replay();
  });

  it("claims nothing when a Catch inside a Parallel's branch ends the branch with another value", async () => {
    const { Next: _next, ...call } = webhookMachine('arn:aws:states:::http:invoke').States.Call;
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'Notify',
      States: {
        'Notify': {
          Type: 'Parallel',
          Branches: [{
            StartAt: 'Call',
            States: {
              Call: { ...call, End: true, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Fallback' }] },
              Fallback: { Type: 'Pass', Output: 500, End: true },
            },
          }, { StartAt: 'Note', States: { Note: { Type: 'Pass', End: true } } }],
          Output: "{% {'status': $states.result[0] >= 200 and $states.result[0] < 300 ? 'sent' : 'not sent'} %}",
          Next: 'Sent?',
        },
        'Sent?': { Type: 'Choice', Choices: [{ Condition: "{% $states.input.status = 'sent' %}", Next: 'Done' }], Default: 'Refused' },
        'Done': { Type: 'Succeed' },
        'Refused': { Type: 'Fail', Error: 'Refused' },
      },
    };
    // The proof itself is not made (a run reaching the branch would also drop it: this checks the rule, not the run).
    expect(proveByFlow(machineStates(def as unknown as StateMachineDefinition), 'Sent?#default')).toBeUndefined();
    const { report, replay } = await explore(def);
    expect(unreachableRule(report, 'Sent?#default')).toBeUndefined();
    expect(reaching(report, 'states', 'Refused')).toBeDefined();
    await replay();
  });

  it('claims nothing when a second way into the Choice brings values the first does not compute', async () => {
    const def = reportsMachine("{% $map($states.result.Items, function($i) { {'id': $i.id.S} }) %}");
    const states = def.States as Record<string, object>;
    states.Query = { ...states.Query, Catch: [{ ErrorEquals: ['States.ALL'], Assign: { reports: '{% [] %}' }, Next: 'Any?' }] };
    const { report, replay } = await explore(def);
    expect(unreachableRule(report, 'Any?#default')).toBeUndefined();
    expect(reaching(report, 'states', 'None')).toBeDefined();
    await replay();
  });
});

/** A getItem read through JSONPath: Parameters from the input, a ResultSelector on $.Item, the result placed by ResultPath, then a Choice. */
function jsonPathLoad(rule: object, selector: object = { 'item.$': '$.Item' }, extra: object = {}) {
  return {
    StartAt: 'Load',
    States: {
      'Load': {
        Type: 'Task',
        Resource: 'arn:aws:states:::dynamodb:getItem',
        Parameters: { TableName: 'batches', Key: { batchId: { 'S.$': '$.batchId' } } },
        ResultSelector: selector,
        ResultPath: '$.loaded',
        Next: 'Exists?',
        ...extra,
      },
      'Exists?': { Type: 'Choice', Choices: [{ ...rule, Next: 'Found' }], Default: 'Missing' },
      'Found': { Type: 'Succeed' },
      'Missing': { Type: 'Fail', Error: 'NotFound' },
    },
  };
}

function flowProof(def: object, key: string) {
  return proveByFlow(machineStates(def as unknown as StateMachineDefinition), key);
}

describe('the flow of values through JSONPath states', () => {
  it('proves the Default of IsPresent unreachable when a ResultSelector reads $.Item whole (an absent Item fails the Task)', () => {
    const proof = flowProof(jsonPathLoad({ Variable: '$.loaded.item', IsPresent: true }), 'Exists?#default');
    expect(proof?.proof).toMatchObject({ kind: 'value-flow', way: ['Load'], rule: 0, always: true });
    expect(proof?.reason).toMatch(/ResultSelector\.item\.\$ \(\$\.Item\) finds nothing: 'Load' fails with States\.Runtime/);
  });

  it('claims nothing when the rule reads a field under the Item, which an Item that is there may lack', () => {
    expect(flowProof(jsonPathLoad({ Variable: '$.loaded.item.status', IsPresent: true }), 'Exists?#default')).toBeUndefined();
  });

  it('takes what an intrinsic function gives as any value, always there: IsPresent is decided, StringEquals is not', () => {
    const selector = { 'item.$': 'States.Format(\'{}\', $.Item)' };
    expect(flowProof(jsonPathLoad({ Variable: '$.loaded.item', IsPresent: true }, selector), 'Exists?#default')?.proof).toMatchObject({ rule: 0, always: true });
    expect(flowProof(jsonPathLoad({ Variable: '$.loaded.item', StringEquals: 'x' }, selector), 'Exists?#default')).toBeUndefined();
    expect(flowProof(jsonPathLoad({ Variable: '$.loaded.item', StringEquals: 'x' }, selector), 'Exists?#0')).toBeUndefined();
  });

  it('follows OutputPath: a rule on a field the OutputPath keeps is decided, one on a field it drops is not there', () => {
    const kept = jsonPathLoad({ Variable: '$.item', IsPresent: true }, undefined, { OutputPath: '$.loaded' });
    expect(flowProof(kept, 'Exists?#default')?.proof).toMatchObject({ rule: 0, always: true });
    const dropped = jsonPathLoad({ Variable: '$.batchId', IsPresent: true }, undefined, { OutputPath: '$.loaded' });
    expect(flowProof(dropped, 'Exists?#0')?.proof).toMatchObject({ rule: 0, always: false });
  });

  it('keeps the input beside the ResultPath: a rule on another field of the input is not decided', () => {
    expect(flowProof(jsonPathLoad({ Variable: '$.other', IsPresent: true }), 'Exists?#default')).toBeUndefined();
    expect(flowProof(jsonPathLoad({ Variable: '$.batchId', IsString: true }), 'Exists?#default')).toBeUndefined();
  });

  it('claims nothing when a Pass with ResultPath null sits between, keeping its input and not its Result', () => {
    const def = jsonPathLoad({ Variable: '$.loaded.item', IsPresent: true }, undefined, { Next: 'Note' }) as { States: Record<string, object> };
    def.States.Note = { Type: 'Pass', Result: { item: null }, ResultPath: null, Next: 'Exists?' };
    expect(flowProof(def, 'Exists?#default')?.proof).toMatchObject({ way: ['Load', 'Note'] });
    def.States.Note = { Type: 'Pass', Parameters: { 'x.$': '$.batchId' }, ResultPath: '$.loaded', Next: 'Exists?' };
    expect(flowProof(def, 'Exists?#default')).toBeUndefined();
  });

  it('explores the JSONPath machine complete: Missing proved, Found reached', async () => {
    const { report, replay } = await explore(jsonPathLoad({ Variable: '$.loaded.item', IsPresent: true }));
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Missing']);
    expect(report.states.notReached).toEqual([]);
    await replay();
  });
});

/** Runs each witness of a value-flow proof as a test would (its input, its answers as mocks) and checks it ends where the proof says. */
async function witnessesHold(wf: Workflow, def: { States: Record<string, object> }, report: ExploreReport, key: string): Promise<void> {
  const proof = report.choiceRules.proofs?.[key];
  if (proof?.kind !== 'value-flow') throw new Error(`no value-flow proof of ${key}: ${JSON.stringify(proof)}`);
  expect(proof.shapes?.length).toBeGreaterThan(0);
  for (const shape of proof.shapes ?? []) {
    const mocks = Object.fromEntries(Object.entries(shape.answers ?? {}).map(([task, value]) => [task, { Return: value }]));
    const run = await wf.run(shape.input ?? {}, { mocks: mocksFromJson(mocks, key) });
    if (shape.ends.kind === 'fails') {
      expect({ status: run.status, error: run.error, last: run.path[run.path.length - 1] }).toEqual({ status: 'FAILED', error: shape.ends.error, last: shape.ends.state });
    } else {
      const rule = shape.ends.takes!.slice(shape.ends.takes!.lastIndexOf('#') + 1);
      const choiceState = def.States[shape.ends.state] as { Choices: Array<{ Next: string }>; Default?: string };
      const choice = rule === 'default' ? choiceState.Default : choiceState.Choices[Number(rule)].Next;
      expect(run.path).toContain(choice);
    }
  }
}

/**
 * A message classified by a model, then routed: a sure cancellation (`score` 0.8 or more) gets an
 * offer, another cancellation is confirmed by a Pass and checked again on the score. `between`
 * is the Pass's Output (none: it passes its input on).
 */
function rerouteMachine(between?: string) {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Classify',
    States: {
      'Classify': {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Arguments: { FunctionName: 'classify', Payload: '{% $states.input %}' },
        Output: '{% $states.result.Payload %}',
        Next: 'Intent?',
      },
      'Intent?': {
        Type: 'Choice',
        Choices: [
          { Condition: "{% $states.input.intent = 'cancel' and $states.input.score >= 0.8 %}", Next: 'Offer' },
          { Condition: "{% $states.input.intent = 'cancel' %}", Next: 'Confirm' },
        ],
        Default: 'Answer',
      },
      'Confirm': { Type: 'Pass', ...(between !== undefined ? { Output: between } : {}), Next: 'Sure?' },
      'Sure?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.score >= 0.8 %}', Next: 'Offer anyway' }], Default: 'Cancel' },
      'Offer': { Type: 'Succeed' },
      'Offer anyway': { Type: 'Succeed' },
      'Cancel': { Type: 'Succeed' },
      'Answer': { Type: 'Succeed' },
    },
  };
}

describe('explore proves a branch an earlier Choice on the same value already excluded', () => {
  it('proves Sure?#0 unreachable: Intent?#1 is taken only with the score below 0.8, and the Pass between keeps it', async () => {
    const { report, replay } = await explore(rerouteMachine());
    const note = unreachableRule(report, 'Sure?#0');
    expect(note?.reason).toMatch(/every run into it comes along 'Intent\?' -> 'Confirm'/);
    expect(note?.reason).toMatch(/Choices\[0\] .* is always false .*, once Intent\?#1 is taken/);
    expect(report.choiceRules.proofs?.['Sure?#0']).toMatchObject({ kind: 'value-flow', state: 'Sure?', way: ['Intent?', 'Confirm'], rule: 0, always: false });
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Offer anyway']);
    expect(report.states.notReached).toEqual([]);
    await replay();
  });

  it('reaches Offer anyway, and claims nothing, when the Pass between sets the score again', async () => {
    const { report, replay } = await explore(rerouteMachine("{% $merge([$states.input, {'score': $states.input.score + 0.5}]) %}"));
    expect(unreachableRule(report, 'Sure?#0')).toBeUndefined();
    expect(reaching(report, 'states', 'Offer anyway')).toBeDefined();
    await replay();
  });
});

/**
 * A ticket classified by a function (its answer's subject and body kept), routed on its subject: one naming an invoice or a refund goes
 * to billing, the rest are tagged by a Pass (`tag`: its Output and Assign) and checked again for
 * a refund (`recheck`: the second Choice's Condition). `first` is the first Choice's pattern.
 */
function ticketMachine({ first = '/(invoice|refund)/', tag = { Output: "{% $merge([$states.input, {'queue': 'general'}]) %}" } as object, recheck = "{% $contains($states.input.subject, 'refund') %}" } = {}) {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Classify',
    States: {
      'Classify': {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Arguments: { FunctionName: 'classify', Payload: '{% $states.input %}' },
        Output: "{% {'subject': $states.result.Payload.subject, 'body': $states.result.Payload.body} %}",
        Next: 'Route?',
      },
      'Route?': { Type: 'Choice', Choices: [{ Condition: `{% $contains($states.input.subject, ${first}) %}`, Next: 'Billing' }], Default: 'Tag' },
      'Tag': { Type: 'Pass', ...tag, Next: 'Recheck?' },
      'Recheck?': { Type: 'Choice', Choices: [{ Condition: recheck, Next: 'Refunds' }], Default: 'File' },
      'Billing': { Type: 'Succeed' },
      'Refunds': { Type: 'Succeed' },
      'File': { Type: 'Succeed' },
    },
  };
}

describe('explore proves a $contains an earlier $contains on the same value already excluded', () => {
  it("proves Recheck?#0 unreachable: the Default of $contains(subject, /(invoice|refund)/) keeps out every subject with 'refund', and $merge over the input keeps the subject", async () => {
    const { report, replay } = await explore(ticketMachine());
    const note = unreachableRule(report, 'Recheck?#0');
    expect(note?.reason).toMatch(/every run into it comes along .*'Route\?' -> 'Tag'/);
    expect(note?.reason).toMatch(/Choices\[0\] .* is always false .*, once Route\?#default is taken/);
    expect(report.choiceRules.proofs?.['Recheck?#0']).toMatchObject({ kind: 'value-flow', state: 'Recheck?', rule: 0, always: false });
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Refunds']);
    expect(report.states.notReached).toEqual([]);
    await replay();
    await witnessesHold(machine(ticketMachine()), ticketMachine(), report, 'Recheck?#0');
  });

  it('proves it when the Pass copies the subject into a variable the second Choice reads', async () => {
    const { report, replay } = await explore(ticketMachine({
      tag: { Assign: { subject: '{% $states.input.subject %}' }, Output: "{% {'queue': 'general'} %}" },
      recheck: "{% $contains($subject, 'refund') %}",
    }));
    expect(report.choiceRules.proofs?.['Recheck?#0']).toMatchObject({ kind: 'value-flow', state: 'Recheck?', rule: 0, always: false });
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Refunds']);
    await replay();
  });

  it("reaches Refunds, and claims nothing, when the second Choice looks for a word the first's pattern does not match", async () => {
    const { report, replay } = await explore(ticketMachine({ recheck: "{% $contains($states.input.subject, 'return') %}" }));
    expect(unreachableRule(report, 'Recheck?#0')).toBeUndefined();
    expect(reaching(report, 'states', 'Refunds')).toBeDefined();
    await replay();
  });

  it("claims nothing when the first pattern is anchored (/^refund/), which a subject with 'refund' further in does not match", async () => {
    const def = ticketMachine({ first: '/^(invoice|refund)/' });
    const { report, replay } = await explore(def);
    expect(unreachableRule(report, 'Recheck?#0')).toBeUndefined();
    expect(report.states.unreachable).toEqual([]);
    await replay();
    // Rightly: such a subject reaches Refunds.
    const run = await machine(def).run({}, { mocks: mocksFromJson({ Classify: { Return: { subject: 'a refund please', body: '' } } }, 'test') });
    expect(run.path).toContain('Refunds');
  });

  it('claims nothing when the $merge sets the subject again', async () => {
    const { report, replay } = await explore(ticketMachine({ tag: { Output: "{% $merge([$states.input, {'subject': $states.input.body}]) %}" } }));
    expect(unreachableRule(report, 'Recheck?#0')).toBeUndefined();
    expect(reaching(report, 'states', 'Refunds')).toBeDefined();
    await replay();
  });
});

describe('the runs behind a proof by the flow of values', () => {
  async function witnessed(def: object, key: string): Promise<ExploreReport> {
    const wf = machine(def);
    const report = await wf.explore();
    await witnessesHold(wf, def as { States: Record<string, object> }, report, key);
    return report;
  }

  it('shows the $count proof on runs: an answer whose Items is absent fails Query, one with items takes Choices[0]', async () => {
    const report = await witnessed(reportsMachine("{% $map($states.result.Items, function($i) { {'id': $i.id.S} }) %}"), 'Any?#default');
    const proof = report.choiceRules.proofs?.['Any?#default'];
    expect(proof?.kind === 'value-flow' ? proof.shapes?.map((s) => s.ends) : undefined).toEqual(expect.arrayContaining([
      { kind: 'fails', state: 'Query', error: 'States.QueryEvaluationError' },
      { kind: 'other', state: 'Any?', reason: "'Any?' takes Any?#0", takes: 'Any?#0', next: 'Some' },
    ]));
    expect(report.choiceRules.unreachable[0].reason).toMatch(/; as runs show: .*'Query' fails with States\.QueryEvaluationError/);
  });

  it('shows the HTTP status proof on runs, each of which ends where the proof says', async () => {
    await witnessed(webhookMachine('arn:aws:states:::http:invoke'), 'Sent?#default');
  });

  it('shows a JSONPath proof through OutputPath on runs', async () => {
    const report = await witnessed(jsonPathLoad({ Variable: '$.item', IsPresent: true }, { 'item.$': 'States.Format(\'{}\', $.Item)' }, { OutputPath: '$.loaded' }), 'Exists?#default');
    expect(report.states.unreachable.map((n) => n.state)).toEqual(['Missing']);
    expect(report.states.notReached).toEqual([]);
  });
});

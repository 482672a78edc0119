import '../../../src/testing/setup';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { build } from './machine';
import { Jsonata, Map, Saga, Task, TryCatch } from '../../../src/constructs/builders';

const J = sfn.QueryLanguage.JSONATA;

describe('QueryLanguage that survives a round trip', () => {
  it('renders a Lambda task inside a JSONata Map of a JSONPath machine with Arguments, marked JSONata, and runs it', async () => {
    const m = build((s) => Map.inline(s.stack, 'Each', {
      queryLanguage: J,
      items: '{% $states.input.orders %}',
      itemProcessor: Task.lambdaInvoke(s.stack, 'Charge', { lambdaFunction: s.fn('ChargeFn'), payload: sfn.TaskInput.fromObject({ id: '{% $states.input %}' }) }),
    }));
    const charge = m.asl.States.Each.ItemProcessor.States.Charge;
    expect(charge.QueryLanguage).toBe('JSONata');
    expect(charge.Arguments).toEqual({ id: '{% $states.input %}' }); // the optimized integration: Arguments are the payload
    expect(charge.Parameters).toBeUndefined();
    expect(m.errors).toEqual([]);
    const run = await m.wf.run({ orders: ['o-1', 'o-2'] }, { mocks: { Charge: (input: any) => ({ charged: input.id }) } });
    expect(run).toHaveOutput([{ charged: 'o-1' }, { charged: 'o-2' }]);
  });

  it('marks the states of a JSONata Distributed Map in a JSONata machine, which a child execution would read as JSONPath', async () => {
    const m = build((s) => Map.distributed(s.stack, 'Bulk', {
      queryLanguage: J,
      items: '{% $states.input.orders %}',
      itemProcessor: new sfn.Pass(s.stack, 'Double', { outputs: '{% $states.input * 2 %}' }),
    }), J);
    const double = m.asl.States.Bulk.ItemProcessor.States.Double;
    expect(double).toMatchObject({ QueryLanguage: 'JSONata', Output: '{% $states.input * 2 %}' });
    expect(m.asl.States.Bulk.QueryLanguage).toBeUndefined(); // the machine says JSONata already
    expect(m.errors).toEqual([]);
    expect(await m.wf.run({ orders: [1, 2] })).toHaveOutput([2, 4]);
  });

  it('renders the states of a JSONata Map in a JSONata machine in JSONata, without redundant QueryLanguage', () => {
    const m = build((s) => Map.inline(s.stack, 'Each', {
      queryLanguage: J,
      itemProcessor: Task.lambdaInvoke(s.stack, 'Charge', { lambdaFunction: s.fn('ChargeFn'), payload: sfn.TaskInput.fromObject({ id: '{% $states.input %}' }) }),
    }), J);
    const charge = m.asl.States.Each.ItemProcessor.States.Charge;
    expect(charge.QueryLanguage).toBeUndefined();
    expect(charge.Arguments).toEqual({ id: '{% $states.input %}' });
    expect(m.errors).toEqual([]);
  });

  it('marks a nested Map\'s states by how the machine reads them, not by their parent Map', () => {
    const m = build((s) => Map.inline(s.stack, 'Outer', {
      queryLanguage: J,
      itemProcessor: Map.inline(s.stack, 'Inner', { itemProcessor: new sfn.Pass(s.stack, 'Leaf', { outputs: '{% $states.input %}' }) }),
    }));
    const inner = m.asl.States.Outer.ItemProcessor.States.Inner;
    expect(inner.QueryLanguage).toBe('JSONata');
    expect(inner.ItemProcessor.States.Leaf.QueryLanguage).toBe('JSONata');
    expect(m.errors).toEqual([]);
  });

  it('keeps a JSONPath Map in a JSONPath machine as aws-cdk-lib renders it', () => {
    const m = build((s) => Map.inline(s.stack, 'Each', {
      itemsPath: '$.orders', itemProcessor: Task.lambdaInvoke(s.stack, 'Charge', { lambdaFunction: s.fn('ChargeFn'), payload: sfn.TaskInput.fromObject({ 'id.$': '$.id' }) }),
    }));
    const charge = m.asl.States.Each.ItemProcessor.States.Charge;
    expect(charge.QueryLanguage).toBeUndefined();
    expect(charge.Parameters).toEqual({ 'id.$': '$.id' });
    expect(m.errors).toEqual([]);
  });

  it('shows the aws-cdk-lib rendering it replaces: a plain sfn.Map.jsonata gives its Lambda task Parameters', () => {
    const m = build((s) => sfn.Map.jsonata(s.stack, 'Each', {}).itemProcessor(new tasks.LambdaInvoke(s.stack, 'Charge', { lambdaFunction: s.fn('ChargeFn') })), J);
    expect(m.asl.States.Each.ItemProcessor.States.Charge.Parameters).toBeDefined();
    expect(m.errors.join('\n')).toMatch(/Parameters/);
  });

  it('takes a task\'s role from a JSONata expression, grants sts:AssumeRole on the roles it may name, and runs', async () => {
    const m = build((s) => Task.lambdaInvoke(s.stack, 'Call', {
      lambdaFunction: s.fn('CallFn'),
      queryLanguage: J,
      credentials: { role: Jsonata.roleArn('$states.input.roleArn', 'arn:aws:iam::111122223333:role/Worker') },
    }));
    expect(m.asl.States.Call.Credentials).toEqual({ RoleArn: '{% $states.input.roleArn %}' });
    expect(m.errors).toEqual([]);
    Template.fromStack(m.stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::111122223333:role/Worker' })]) },
    });
    const run = await m.wf.run({ roleArn: 'arn:aws:iam::111122223333:role/Worker' }, { mocks: { Call: { ok: true } } });
    expect(run).toHaveOutput({ ok: true });
  });
});

describe('QueryLanguage of the states in a TryCatch or Saga', () => {
  it('renders a Lambda task in a TryCatch of a JSONata machine with Arguments, where aws-cdk-lib gave Parameters', async () => {
    const m = build((s) => TryCatch.jsonata(s.stack, 'Charge', {
      try: Task.lambdaInvoke(s.stack, 'Card', { lambdaFunction: s.fn('CardFn'), payload: sfn.TaskInput.fromObject({ id: '{% $states.input.id %}' }) }),
    }), J);
    const card = m.asl.States.Charge.Branches[0].States.Card;
    expect(card.Arguments).toEqual({ id: '{% $states.input.id %}' });
    expect(card.Parameters).toBeUndefined();
    expect(card.QueryLanguage).toBeUndefined();
    expect(m.errors).toEqual([]);
    const run = await m.wf.run({ id: 'o-1' }, { mocks: { Card: (input: any) => ({ charged: input.id }) } });
    expect(run).toHaveOutput({ charged: 'o-1' });
  });

  it('marks the steps of a JSONata Saga in a JSONPath machine as JSONata', async () => {
    const m = build((s) => Saga.jsonata(s.stack, 'Trip', {
      steps: [{ name: 'Flight', action: new sfn.Pass(s.stack, 'Book', { outputs: { flight: '{% $states.input.flight %}' } }), compensation: new sfn.Pass(s.stack, 'Cancel') }],
    }));
    expect(m.asl.States['Trip: Flight'].Branches[0].States.Book.QueryLanguage).toBe('JSONata');
    expect(m.errors).toEqual([]);
    expect(await m.wf.run({ flight: 'LH 1' })).toHaveOutput({ flight: 'LH 1', results: { Flight: { flight: 'LH 1' } } });
  });
});

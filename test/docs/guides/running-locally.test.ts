import { compileStateMachine, InvalidDefinitionError, StatesError, type StateMachineDefinition } from 'stepwright/interpreter';

const definition: StateMachineDefinition = {
  StartAt: 'Charge',
  States: {
    Charge: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:charge', ResultPath: '$.payment', Next: 'Ship' },
    Ship: {
      Type: 'Task',
      Resource: 'arn:aws:lambda:us-east-1:123456789012:function:ship',
      Retry: [{ ErrorEquals: ['Carrier.Unavailable'], IntervalSeconds: 3600, MaxAttempts: 2 }],
      End: true,
    },
  },
};

it('runs a definition with task handlers on a virtual clock', async () => {
  const machine = compileStateMachine(definition, { // validated and compiled once
    taskHandlers: {
      Charge: async () => ({ chargeId: 'ch_1' }), // by state name or resource ARN
      Ship: () => { throw new StatesError('Carrier.Unavailable', 'no pickup today'); },
    },
  });
  const execution = machine.start({ orderId: 'o-1' }); // returns at once
  const result = await execution.result; // two hours of retries, in no real time

  expect(result).toMatchObject({ status: 'FAILED', error: 'Carrier.Unavailable', cause: 'no pickup today', path: ['Charge', 'Ship'] });
  expect(result.history[0]).toMatchObject({ type: 'ExecutionStarted', id: 1 });
});

it('refuses a definition that cannot run, before any execution, listing every finding', () => {
  expect(() => compileStateMachine({ StartAt: 'Nowhere', States: {} })).toThrow(InvalidDefinitionError);
});

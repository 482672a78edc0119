import { compileStateMachine, type StateMachineDefinition } from 'stepwright/interpreter';

it('fails a state whose output passes 262,144 bytes with States.DataLimitExceeded, which States.ALL does not catch', async () => {
  const definition: StateMachineDefinition = {
    StartAt: 'Translate',
    States: {
      Translate: {
        Type: 'Task',
        Resource: 'arn:aws:lambda:us-east-1:123456789012:function:translate',
        ResultPath: '$.translation', // the input and the result together: 280,000 bytes and more
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }],
        End: true,
      },
      Handled: { Type: 'Succeed' },
    },
  };
  const machine = compileStateMachine(definition, { taskHandlers: { Translate: () => 'y'.repeat(140_000) } });
  const result = await machine.start({ text: 'x'.repeat(140_000) }).result;

  expect(result).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded', path: ['Translate'] });
});

it('stops an endless loop after limits.maxTransitions states with States.Runtime', async () => {
  const definition: StateMachineDefinition = {
    StartAt: 'Poll',
    States: {
      'Poll': { Type: 'Pass', Next: 'Done?' },
      'Done?': { Type: 'Choice', Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'Finished' }], Default: 'Poll' },
      'Finished': { Type: 'Succeed' },
    },
  };
  const machine = compileStateMachine(definition, { limits: { maxTransitions: 100 } });
  const result = await machine.start({ done: false }).result;

  expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  expect(result.cause).toContain('entered more than 100 states');
});

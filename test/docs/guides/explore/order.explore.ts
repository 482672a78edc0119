// Scenarios `stepwright explore` found for StateMachine: each runs an input with the Task answers
// that take its path, and checks what sets the run apart (how it ends, the states that decide it, its
// output). Scenarios that differ only in their Task answers share one it.each table. A starting point:
// keep the file, rename the tests, and trim or extend them.
// Written by: stepwright explore order.asl.json --write-tests order.explore.test.ts --mock-config MockConfigFile.json
//
// explore reached states 6/7, transitions 7/9, Choice rules 4/5, catches 1/1, retries 1/1, callback outcomes 0/0.
//
// No input or Task answer can reach (proved):
// - states: Audit: every way into it is closed: Big order?#1: $.total cannot be a number that is > 1000 (Choices[1].And[0] ($.total NumericGreaterThan 1000) is tru…
// - transitions: Big order? -> Audit: Big order?#1: $.total cannot be a number that is > 1000 (Choices[1].And[0] ($.total NumericGreaterThan 1000) is true) and < 1…
// - transitions: Audit -> Ship: state 'Audit' is unreachable
// - Choice rules: Big order?#1: $.total cannot be a number that is > 1000 (Choices[1].And[0] ($.total NumericGreaterThan 1000) is true) and < 10 (Choices[1].And[1]…
//
// Findings:
// - unhandled: the execution fails with States.TaskFailed at state 'Charge' (as it does with Lambda.TooManyRequestsException, Lambda.ServiceException, Lambda.Clien…
import * as path from 'path';
import { Workflow, fail, succeed } from 'stepwright/testing';

const wf = Workflow.fromDefinition(path.resolve(__dirname, 'order.asl.json'));

describe('StateMachine: the scenarios explore found', () => {
  it("'Paid?' chooses 'Big order?', 'Big order?' chooses 'Review', then succeeds", async () => {
    const run = await wf.run({ total: 1001 }, {
      mocks: {
        Charge: succeed({ status: 'PAID' }),
      },
    });

    expect(run).toSucceed();
    expect(run).toHavePath(['Charge', 'Paid?', 'Big order?', 'Review', 'Ship']);
    expect(run).toHaveOutput({ total: 1001, charge: { status: 'PAID' } });
  });

  it("'Paid?' chooses 'Big order?', 'Big order?' chooses 'Ship', then succeeds", async () => {
    const run = await wf.run({ total: 0 }, {
      mocks: {
        Charge: succeed({ status: 'PAID' }),
      },
    });

    expect(run).toSucceed();
    expect(run).toHavePath(['Charge', 'Paid?', 'Big order?', 'Ship']);
    expect(run).toHaveOutput({ total: 0, charge: { status: 'PAID' } });
  });

  it("catches Payment.Declined in 'Charge', then fails with Declined", async () => {
    const run = await wf.run({}, {
      mocks: {
        Charge: fail('Payment.Declined', '{"errorType":"Payment.Declined","errorMessage":"a failure stepwright made up for this call","trace":[]}'),
      },
    });

    expect(run).toFail('Declined');
    expect(run).toHavePath(['Charge', 'Declined']);
  });

  it("retries 'Charge' after Lambda.TooManyRequestsException, 'Paid?' chooses 'Declined', then fails with Declined", async () => {
    const run = await wf.run({}, {
      mocks: {
        Charge: [
          fail('Lambda.TooManyRequestsException', 'a failure stepwright made up for this call (Service: AWSLambda; Status Code: 400; Error Code: TooManyRequestsException; Request ID: 00000000-0000-4000-8000-000000000000; Proxy: null)'),
          succeed({ status: 'status' }),
        ],
      },
    });

    expect(run).toFail('Declined');
    expect(run).toHavePath(['Charge', 'Paid?', 'Declined']);
    expect(run).toHaveRetried('Charge', 1);
  });

  it("fails with States.TaskFailed at 'Charge'", async () => {
    const run = await wf.run({}, {
      mocks: {
        Charge: fail('States.TaskFailed', 'a failure stepwright made up for this call'),
      },
    });

    expect(run).toFail('States.TaskFailed', 'a failure stepwright made up for this call');
    expect(run).toHavePath(['Charge']);
  });
});

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startServer, type RunningServer } from 'stepwright/server';

// `stepwright parity` run as a shell runs it (here this repository's build of the command) on the
// example machine and MockConfigFile of examples/cli. Against AWS, leave out --endpoint and give
// --region (and --profile); offline, as here, stepwright serve answers TestState.
let serve: RunningServer;
beforeAll(async () => { serve = await startServer({ port: 0 }); });
afterAll(() => serve.close());

it('sends each state visit of the test cases\' runs to TestState and finds each answered as it ran', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [
    'lib/cli/main.js', 'parity', 'examples/cli/order-processing.asl.json',
    '--mocks', 'examples/cli/MockConfigFile.json', // every test case: HappyPath and Declined
    '--input', '@examples/cli/input.json',
    '--endpoint', serve.endpoint,
  ]);
  expect(stdout).toBe(`OrderProcessing: 9 visits, 9 equal
  state            visits  result
  ChargeCard            2  equal
  ReserveItems          1  equal
  ReserveItem           2  equal
  ShippingSpeed         1  equal
  ShipExpress           1  equal
  Shipped               1  equal
  PaymentDeclined       1  equal

9 visits against ${serve.endpoint}: 9 equal; 9 TestState calls
local run 'Declined-1' of OrderProcessing FAILED in its Fail state 'PaymentDeclined' with Order.PaymentDeclined: The card was declined; the order was not shipped
`);
}, 60_000);

it('prints a difference as the first field that differs, with both sides, and exits 1', async () => {
  // A case file holds a request and AWS's answer to it: --recorded compares stepwright with that answer and calls nothing.
  // This one's answer was edited by hand to show a difference; `--write-cases <dir>` writes one per difference found.
  const run = promisify(execFile)(process.execPath, ['lib/cli/main.js', 'parity', '--cases', 'test/docs/guides/parity/example-difference.json', '--recorded']);
  await expect(run).rejects.toMatchObject({
    code: 1,
    stdout: `test/docs/guides/parity/example-difference.json: 1 visit, 1 differs
  state   visits  result
  Charge       1  1 differs
                  visit 1: output differs
                    stepwright: {"orderId":"o-1","charge":{"chargeId":"ch_1"}}
                    AWS:        {"orderId":"o-1","charge":{"chargeId":"ch_1","fee":0}}

1 visit against recorded answers: 1 differs; 0 TestState calls
`,
  });
}, 60_000);

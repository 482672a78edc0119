import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

// What an agent's MCP client does with the configuration below: start `stepwright mcp` and talk
// to it over stdio. Here the command is this repository's build of it, serving examples/cli.
const client = new Client({ name: 'guide', version: '1.0.0' });
beforeAll(() => client.connect(new StdioClientTransport({
  command: process.execPath,
  args: ['lib/cli/main.js', 'mcp', '--root', 'examples/cli'],
})), 30_000);
afterAll(() => client.close());

it('validates, runs with mocks, and draws the run', async () => {
  const checked = await client.callTool({ name: 'validate', arguments: { file: 'order-processing.asl.json' } });
  expect(checked.structuredContent).toMatchObject({ valid: true });

  const order = { orderId: 'o-1', subtotal: 40, shipping: 5, express: true, items: [{ sku: 'book-42', quantity: 1 }] };
  const run = await client.callTool({
    name: 'run',
    arguments: { file: 'order-processing.asl.json', input: order, mocksFile: 'mocks.json', history: true },
  });
  expect(run.structuredContent).toMatchObject({
    status: 'SUCCEEDED',
    path: ['ChargeCard', 'ReserveItems', 'ReserveItem', 'ShippingSpeed', 'ShipExpress', 'Shipped'],
    retries: { ChargeCard: 1 }, // the first charge was throttled, the retry succeeded
  });

  const drawn = await client.callTool({ name: 'render', arguments: { file: 'order-processing.asl.json', run: run.structuredContent } });
  expect((drawn.structuredContent as { mermaid: string }).mermaid).toMatch(/^flowchart TD\n/);
}, 30_000);

it('answers bad input as a tool error that names the field', async () => {
  const r = await client.callTool({ name: 'run', arguments: { file: '../../package.json' } });
  expect(r.isError).toBe(true);
  expect(r.content).toEqual([{ type: 'text', text: expect.stringMatching(/^file: '\.\.\/\.\.\/package\.json' is refused: it is outside /) }]);
});

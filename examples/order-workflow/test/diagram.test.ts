import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { OrderStack } from '../lib/order-stack';
import { renderMermaid } from 'stepwright';
import { Workflow } from 'stepwright/testing';

// The README shows this workflow as a Mermaid diagram. It is generated from the stack, and this
// test fails when the committed copy is stale. Rewrite it on purpose with:
//   STEPWRIGHT_UPDATE_README=1 npx jest --config examples/order-workflow/jest.config.js diagram
const README = path.join(__dirname, '..', '..', '..', 'README.md');
const BLOCK = /(<!-- order-workflow-diagram:start -->\n)[\s\S]*?(\n<!-- order-workflow-diagram:end -->)/;

const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const wf = Workflow.fromStack(new OrderStack(app, 'OrderWorkflow'));

describe('order workflow diagram', () => {
  it('is the one committed in the README', () => {
    const diagram = ['```mermaid', renderMermaid(wf.definition).trimEnd(), '```'].join('\n');
    const readme = fs.readFileSync(README, 'utf8');
    expect(BLOCK.test(readme)).toBe(true);
    const updated = readme.replace(BLOCK, (_all, start: string, end: string) => `${start}${diagram}${end}`);
    if (updated === readme) return;
    if (process.env.STEPWRIGHT_UPDATE_README) {
      fs.writeFileSync(README, updated);
      return;
    }
    throw new Error('the README diagram of the order workflow is stale: the stack changed. Rewrite it with '
      + 'STEPWRIGHT_UPDATE_README=1 npx jest --config examples/order-workflow/jest.config.js diagram, and commit README.md');
  });

});

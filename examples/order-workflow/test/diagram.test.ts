import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { OrderStack } from '../lib/order-stack';
import { renderMermaid } from 'stepwright';
import { Workflow } from 'stepwright/testing';

// The diagrams guide shows this workflow as a Mermaid diagram. It is generated from the stack, and
// this test fails when the committed copy is stale (test/docs/docs.test.ts checks it too). Rewrite
// it on purpose with:
//   STEPWRIGHT_UPDATE_DOCS=1 npx jest --config examples/order-workflow/jest.config.js diagram
const GUIDE = path.join(__dirname, '..', '..', '..', 'docs', 'diagrams.md');
const BLOCK = /(<!-- order-workflow-diagram:start -->\n)[\s\S]*?(\n<!-- order-workflow-diagram:end -->)/;

const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const wf = Workflow.fromStack(new OrderStack(app, 'OrderWorkflow'));

describe('order workflow diagram', () => {
  it('is the one committed in the diagrams guide', () => {
    const diagram = ['```mermaid', renderMermaid(wf.definition).trimEnd(), '```'].join('\n');
    const guide = fs.readFileSync(GUIDE, 'utf8');
    expect(BLOCK.test(guide)).toBe(true);
    const updated = guide.replace(BLOCK, (_all, start: string, end: string) => `${start}${diagram}${end}`);
    if (updated === guide) return;
    if (process.env.STEPWRIGHT_UPDATE_DOCS) {
      fs.writeFileSync(GUIDE, updated);
      return;
    }
    throw new Error('the diagram of the order workflow in docs/diagrams.md is stale: the stack changed. Rewrite it with '
      + 'STEPWRIGHT_UPDATE_DOCS=1 npx jest --config examples/order-workflow/jest.config.js diagram, and commit docs/diagrams.md');
  });

});

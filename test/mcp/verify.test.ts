import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startMcp, textOf, type McpSession } from './client';
import { cli } from '../cli/run-cli';
import { stopExploreClock } from '../explore-clock';
import { treeHash } from '../tree-hash';

/*
 * The MCP verify tool: path properties as JSON, checked by the tool's schema; the verdicts
 * `stepwright verify --json` prints; a counterexample the run tool reproduces; read-only and
 * confined to the server's folder as explore is.
 */

const ORDER = path.resolve(__dirname, '../docs/guides/explore/order.asl.json');

interface Counterexample { input: unknown; mocks: Record<string, unknown>; path: string[]; status: string }
interface Verdicts {
  [name: string]: { verdict: string; property: string; reason: string; counterexample?: Counterexample };
}

let base: string;
let root: string;
let mcp: McpSession;
// The CLI here and the server's workers search on clocks that stand still: the same runs at both doors.
stopExploreClock();

beforeAll(async () => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-verify-'));
  root = path.join(base, 'root');
  fs.mkdirSync(path.join(root, 's3', 'orders'), { recursive: true });
  fs.mkdirSync(path.join(base, 'outside'));
  fs.copyFileSync(ORDER, path.join(root, 'order.asl.json'));
  fs.symlinkSync(path.join(base, 'outside'), path.join(root, 'dir-out'));
  mcp = await startMcp(root, [], { exploreTickMs: 0 });
}, 60_000);

afterAll(async () => {
  await mcp?.close();
  fs.rmSync(base, { recursive: true, force: true });
});

const PROPERTIES = {
  neverAudit: { never: 'Audit' },
  neverReview: { never: 'Review' },
  chargesOnce: { atMost: ['Charge', 1] },
};

describe('stepwright mcp: verify', () => {
  it('answers the verdicts stepwright verify --json prints for the same properties', async () => {
    const r = await mcp.call('verify', { file: 'order.asl.json', properties: PROPERTIES });
    expect(r.isError ? textOf(r) : '').toBe('');
    const answer = r.structuredContent as { source: string; runs: number; complete: boolean; properties: Verdicts };
    expect(answer.complete).toBe(true);
    expect(answer.runs).toBeGreaterThan(0);
    const cliOut = JSON.parse((await cli('verify', ORDER, '--property', path.join(__dirname, '../verify/fixtures/order.properties.js'), '--json')).out) as Verdicts;
    expect(Object.keys(answer.properties)).toEqual(['neverAudit', 'neverReview', 'chargesOnce']);
    for (const name of Object.keys(PROPERTIES)) expect({ name, ...answer.properties[name] }).toEqual({ name, ...cliOut[name] });
    expect(answer.properties.neverAudit.verdict).toBe('HOLDS');
    expect(answer.properties.chargesOnce.verdict).toBe('HOLDS');
    expect(answer.properties.neverReview.verdict).toBe('VIOLATED');
  }, 120_000);

  it('gives a counterexample the run tool reproduces from its input and mocks', async () => {
    const r = await mcp.call('verify', { file: 'order.asl.json', properties: { neverReview: { never: 'Review' } } });
    const c = (r.structuredContent as { properties: Verdicts }).properties.neverReview.counterexample!;
    const run = await mcp.call('run', { file: 'order.asl.json', input: c.input, mocks: c.mocks });
    expect(run.structuredContent).toMatchObject({ status: c.status, path: c.path });
    expect(c.path).toContain('Review');
  }, 120_000);

  it('takes every kind of the vocabulary as JSON: leadsTo, precedes, endsWith, maxTransitions, maxSeconds', async () => {
    const r = await mcp.call('verify', {
      file: 'order.asl.json',
      properties: {
        reviewShips: { leadsTo: ['Review', 'Ship'] },
        chargeFirst: { precedes: ['Charge', 'Ship'] },
        // Charge's uncaught Lambda errors end the run with another error.
        onlyDeclined: { endsWith: { statuses: ['SUCCEEDED', 'FAILED'], errors: ['Declined'] } },
        alwaysSucceeds: { endsWith: { statuses: ['SUCCEEDED'] } },
        short: { maxTransitions: 10 },
        quick: { maxSeconds: 300 },
      },
    });
    expect(r.isError ? textOf(r) : '').toBe('');
    const answer = (r.structuredContent as { properties: Verdicts }).properties;
    const verdicts = Object.fromEntries(Object.entries(answer).map(([k, v]) => [k, v.verdict]));
    // maxSeconds is not proved on the graph: no run breaks it, and it stays UNKNOWN.
    expect(verdicts).toEqual({ reviewShips: 'HOLDS', chargeFirst: 'HOLDS', onlyDeclined: 'VIOLATED', alwaysSucceeds: 'VIOLATED', short: 'HOLDS', quick: 'UNKNOWN' });
    expect(answer.onlyDeclined.counterexample).toMatchObject({ status: 'FAILED' });
    expect(answer.onlyDeclined.counterexample).not.toMatchObject({ error: 'Declined' });
  }, 120_000);

  it.each([
    ['a count below its bound', { chargesOnce: { atMost: ['Charge', -2] } }, /^properties\.chargesOnce\.atMost\.1: .*>=0/],
    ['a misspelt kind', { typo: { nevr: 'Audit' } }, /^properties\.typo\.nevr: no such field in properties\.typo; it takes never, leadsTo, precedes, atMost, endsWith, maxTransitions, maxSeconds/],
    ['no kind', { empty: {} }, /^properties\.empty: give exactly one of never, leadsTo, precedes, atMost, endsWith, maxTransitions, maxSeconds/],
    ['two kinds', { both: { never: 'Audit', maxTransitions: 3 } }, /^properties\.both: give exactly one of/],
    ['a status AWS has not', { ends: { endsWith: { statuses: ['DONE'] } } }, /^properties\.ends\.endsWith\.statuses\.0: /],
    ['a state name past 80 characters', { long: { never: 'x'.repeat(81) } }, /^properties\.long\.never: /],
  ])('refuses %s, naming the property and the field', async (_what, properties, message) => {
    const r = await mcp.call('verify', { file: 'order.asl.json', properties });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(message);
  });

  it('refuses a call with no property', async () => {
    const r = await mcp.call('verify', { file: 'order.asl.json', properties: {} });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/^properties: give 1 to 100 properties/);
  });

  it('refuses an s3Dir outside the server\'s folder, and changes nothing under it', async () => {
    const before = treeHash(root);
    const out = await mcp.call('verify', { file: 'order.asl.json', properties: PROPERTIES, s3Dir: 'dir-out' });
    expect(out.isError).toBe(true);
    expect(textOf(out)).toMatch(/^s3Dir: 'dir-out' is refused/);
    const inside = await mcp.call('verify', { file: 'order.asl.json', properties: PROPERTIES, s3Dir: 's3' });
    expect(inside.isError ? textOf(inside) : '').toBe('');
    expect(treeHash(root)).toBe(before);
  }, 120_000);

  it('bounds a Map by the items the s3Dir holds where its ItemReader reads, saying so in the reason', async () => {
    fs.mkdirSync(path.join(root, 's3', 'data'), { recursive: true });
    fs.writeFileSync(path.join(root, 's3', 'data', 'items.json'), JSON.stringify([1, 2, 3]));
    fs.writeFileSync(path.join(root, 'folder-map.asl.json'), JSON.stringify({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'data', Key: 'items.json' } },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 10, End: true } } },
          MaxConcurrency: 1,
          End: true,
        },
      },
    }));
    const r = await mcp.call('verify', { file: 'folder-map.asl.json', properties: { seconds: { maxSeconds: 30 }, entries: { atMost: ['Hold', 3] } }, s3Dir: 's3' });
    expect(r.isError ? textOf(r) : '').toBe('');
    const { properties } = r.structuredContent as { properties: Verdicts };
    for (const name of ['seconds', 'entries']) {
      expect(properties[name]).toMatchObject({ verdict: 'HOLDS', reason: expect.stringContaining('bounded by the 3 items the folder holds at s3://data/items.json') });
    }
  }, 120_000);

  it('takes maxMapItems as verify takes mapItems, answering boundsHit, and refuses one past its bound naming the field', async () => {
    fs.writeFileSync(path.join(root, 'each.asl.json'), JSON.stringify({
      StartAt: 'Each',
      States: {
        Each: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'Inner', States: { Inner: { Type: 'Pass', End: true } } }, ResultPath: null, Next: 'After' },
        After: { Type: 'Succeed' },
      },
    }));
    const properties = { innerThrice: { atMost: ['Inner', 3] } };
    const bounded = await mcp.call('verify', { file: 'each.asl.json', properties, maxMapItems: 3 });
    expect(bounded.isError ? textOf(bounded) : '').toBe('');
    const answer = bounded.structuredContent as { boundsHit?: string[]; properties: Verdicts };
    expect(answer.properties.innerThrice).toMatchObject({ verdict: 'HOLDS', reason: expect.stringContaining('--max-map-items: 3 per run of it') });
    expect(answer.boundsHit).toEqual(['mapItems']);
    const free = await mcp.call('verify', { file: 'each.asl.json', properties });
    expect((free.structuredContent as { boundsHit?: string[]; properties: Verdicts }).properties.innerThrice.verdict).toBe('VIOLATED');
    expect((free.structuredContent as { boundsHit?: string[] }).boundsHit).toBeUndefined();
    const refused = await mcp.call('verify', { file: 'each.asl.json', properties, maxLoopTurns: 25_001 });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain('maxLoopTurns');
  }, 120_000);

  it('takes maxLoopTurns as verify takes loopTurns: a leadsTo past a poll loop HOLDS within it, saying so', async () => {
    fs.writeFileSync(path.join(root, 'poll.asl.json'), JSON.stringify({
      StartAt: 'Poll',
      States: {
        'Poll': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'poll' }, ResultSelector: { 'Status.$': '$.Payload.Status' }, ResultPath: '$.job', Next: 'Done?' },
        'Done?': { Type: 'Choice', Choices: [{ Variable: '$.job.Status', StringEquals: 'DONE', Next: 'Done' }], Default: 'Poll' },
        'Done': { Type: 'Succeed' },
      },
    }));
    const r = await mcp.call('verify', { file: 'poll.asl.json', properties: { pollDecides: { leadsTo: ['Done?', ['Done', 'Poll']] } }, maxLoopTurns: 10 });
    expect(r.isError ? textOf(r) : '').toBe('');
    const answer = r.structuredContent as { boundsHit?: string[]; properties: Verdicts };
    expect(answer.properties.pollDecides).toMatchObject({ verdict: 'HOLDS', reason: expect.stringContaining('--max-loop-turns: 10') });
    expect(answer.boundsHit).toEqual(['loopTurns']);
  }, 120_000);

  it('is listed read-only, with the JSON vocabulary in its schema', async () => {
    const { tools } = await mcp.client.listTools();
    const verify = tools.find((t) => t.name === 'verify')!;
    expect(verify.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, openWorldHint: false });
    const properties = (verify.inputSchema.properties as Record<string, { additionalProperties?: { properties?: object } }>).properties;
    expect(Object.keys(properties.additionalProperties?.properties ?? {})).toEqual(['never', 'leadsTo', 'precedes', 'atMost', 'endsWith', 'maxTransitions', 'maxSeconds']);
  });
});

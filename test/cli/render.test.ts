import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { cli } from './run-cli';
import { catchIntoEveryOther, linearChain, sharedHandler } from '../render/fixtures';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples', 'cli');
const EXAMPLE = path.join(EXAMPLES, 'order-processing.asl.json');

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-render-')); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });
const tmp = (name: string): string => path.join(dir, name);

describe('stepwright render', () => {
  it('prints the Mermaid flowchart of an ASL file by default', async () => {
    const r = await cli('render', EXAMPLE);
    expect(r.code).toBe(0);
    expect(r.out.startsWith('flowchart TD\n')).toBe(true);
    expect(r.out).toContain('-.->|"Payment.Declined"|');
    expect(r.out).toContain('-->|"express == true"|');
  });

  it('draws the run that `stepwright run --json --history` wrote: the failed state and the Catch taken', async () => {
    const run = await cli('run', EXAMPLE, '--input', `@${path.join(EXAMPLES, 'input.json')}`, '--mocks', path.join(EXAMPLES, 'mocks-declined.json'), '--json', '--history');
    expect(run.code).toBe(1);
    fs.writeFileSync(tmp('result.json'), run.out);
    const r = await cli('render', EXAMPLE, '--run', tmp('result.json'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/s\d+\[\["PaymentDeclined<br\/>✗ Order.PaymentDeclined"\]\]/);
    expect(r.out).toMatch(/class s\d+ swFailed/);
    expect(r.out).toMatch(/linkStyle [\d,]+ stroke:#1d4ed8/);
  });

  it('refuses a --run whose history holds more events than an execution\'s (25,000 on AWS), naming the bound', async () => {
    const history = Array.from({ length: 25_001 }, (_, i) => ({ id: i + 1, type: i === 0 ? 'ExecutionStarted' : 'PassStateEntered', state: 'P' }));
    fs.writeFileSync(tmp('long-run.json'), JSON.stringify({ status: 'SUCCEEDED', history }));
    const r = await cli('render', EXAMPLE, '--run', tmp('long-run.json'));
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain("the run's 'history' holds 25001 events, more than the 25000 an execution's history holds on AWS");
  });

  it('writes a self-contained HTML page with the coverage of the reporter JSON to --out', async () => {
    const definition = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as { States: Record<string, unknown> };
    const names = Object.keys(definition.States).concat('ReserveItem');
    const category = (missed: string[], total: number) => ({ covered: total - missed.length, total, missed, hits: {} });
    fs.writeFileSync(tmp('coverage.json'), JSON.stringify({
      machines: [{
        id: 'other',
        name: 'order-processing',
        runs: 2,
        states: category(['ShipExpress'], names.length),
        transitions: category(['ShippingSpeed -> ShipExpress', 'ShipExpress -> Shipped'], 7),
        choices: category(['ShippingSpeed#0'], 2),
        catches: category([], 1),
        retries: category(['ChargeCard#0'], 1),
      }],
    }));
    const r = await cli('render', EXAMPLE, '--format', 'html', '--coverage', tmp('coverage.json'), '--out', tmp('order.html'));
    expect(r.code).toBe(0);
    expect(r.err).toContain(`wrote ${tmp('order.html')}`);
    const html = fs.readFileSync(tmp('order.html'), 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html.match(/class="sw-node state uncovered"/g)).toHaveLength(1);
    expect(html).toContain('data-state="ShipExpress"');
    expect(html).toContain('states 7/8 (87%)');
  });

  it('titles the HTML page with the state machine\'s name from a template, and with the file\'s name for an ASL file', async () => {
    const definition = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Succeed' } } });
    fs.writeFileSync(tmp('billing.template.json'), JSON.stringify({
      Resources: { Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { StateMachineName: 'Billing', DefinitionString: definition } } },
    }));
    const fromTemplate = await cli('render', tmp('billing.template.json'), '--format', 'html');
    expect(fromTemplate.code).toBe(0);
    expect(fromTemplate.out).toContain('<title>Billing</title>');
    fs.writeFileSync(tmp('refunds.asl.json'), definition);
    const fromFile = await cli('render', tmp('refunds.asl.json'), '--format', 'html');
    expect(fromFile.out).toContain('<title>refunds</title>');
    expect((await cli('render', tmp('refunds.asl.json'), '--format', 'svg', '--title', 'Refunds v2')).out).toContain('<title>Refunds v2</title>');
  });

  it('writes a standalone SVG', async () => {
    const r = await cli('render', EXAMPLE, '--format', 'svg');
    expect(r.code).toBe(0);
    expect(r.out.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(r.out.match(/class="sw-node (state|fork)[^"]*" data-state=/g)).toHaveLength(8);
  });

  it('replaces a file at --out, but never writes through a link or into a pipe, with exit code 2', async () => {
    fs.writeFileSync(tmp('old.svg'), 'an older drawing');
    const replaced = await cli('render', EXAMPLE, '--format', 'svg', '--out', tmp('old.svg'));
    expect(replaced.code).toBe(0);
    expect(fs.readFileSync(tmp('old.svg'), 'utf8')).toContain('<svg');

    fs.writeFileSync(tmp('precious.txt'), 'keep me');
    fs.symlinkSync(tmp('precious.txt'), tmp('link.svg'));
    const linked = await cli('render', EXAMPLE, '--out', tmp('link.svg'));
    expect(linked.code).toBe(2);
    expect(linked.err).toContain('is a symbolic link');
    expect(fs.readFileSync(tmp('precious.txt'), 'utf8')).toBe('keep me');

    spawnSync('mkfifo', [tmp('pipe.svg')]);
    // Held open for reading (without waiting for a writer), so that a write into the pipe ends instead of waiting.
    // eslint-disable-next-line no-bitwise -- open(2) flags are combined as bits
    const reader = fs.openSync(tmp('pipe.svg'), fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
      const piped = await cli('render', EXAMPLE, '--out', tmp('pipe.svg'));
      expect(piped.code).toBe(2);
      expect(piped.err).toContain('is not a regular file');
    } finally {
      fs.closeSync(reader);
    }
  });

  it('escapes the --out name it says it wrote', async () => {
    const r = await cli('render', EXAMPLE, '--out', tmp('a\u001b]0;title\u0007.mmd'));
    expect(r.code).toBe(0);
    expect(r.err).toContain('wrote ');
    expect(r.err).not.toContain('\u001b');
  });

  it('prints no character that drives a terminal in any format, though state names, comments and errors hold them', async () => {
    const name = 'Pay\u001b]0;owned\u0007 \u009b2J \u202eyap';
    fs.writeFileSync(tmp('marks.asl.json'), JSON.stringify({
      Comment: name, StartAt: name, States: { [name]: { Type: 'Pass', Comment: name, Next: 'Stop' }, Stop: { Type: 'Fail', Error: name, Cause: name } },
    }));
    fs.writeFileSync(tmp('marks-run.json'), JSON.stringify({ status: 'FAILED', error: name, cause: name, path: [name, 'Stop'] }));
    // What printable() escapes: C0 controls but the line breaks and tabs a format lays itself out with, DEL, C1, the marks that reorder a line.
    const drives = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
    for (const format of ['mermaid', 'html', 'svg', 'asl-json', 'asl-yaml']) {
      const r = await cli('render', tmp('marks.asl.json'), '--format', format, ...(format.startsWith('asl-') ? [] : ['--run', tmp('marks-run.json'), '--title', name]));
      expect({ format, code: r.code }).toEqual({ format, code: 0 });
      expect({ format, raw: drives.exec(r.out)?.[0] }).toEqual({ format, raw: undefined });
    }
    // Escaped, not lost: the JSON and the YAML read back as the same definition.
    const definition = JSON.parse(fs.readFileSync(tmp('marks.asl.json'), 'utf8'));
    expect(JSON.parse((await cli('render', tmp('marks.asl.json'), '--format', 'asl-json')).out)).toEqual(definition);
    expect(parse((await cli('render', tmp('marks.asl.json'), '--format', 'asl-yaml')).out)).toEqual(definition);
  });

  it('exports the definition for Workflow Studio as YAML and as JSON', async () => {
    const definition = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as unknown;
    const yaml = await cli('render', EXAMPLE, '--format', 'asl-yaml');
    expect(yaml.code).toBe(0);
    expect(parse(yaml.out)).toEqual(definition);
    const json = await cli('render', EXAMPLE, '--format', 'asl-json');
    expect(JSON.parse(json.out)).toEqual(definition);
  });

  it('picks one state machine of a template with --state-machine', async () => {
    const template = {
      Resources: {
        A: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: JSON.stringify({ StartAt: 'OnlyInA', States: { OnlyInA: { Type: 'Succeed' } } }) } },
        B: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: JSON.stringify({ StartAt: 'OnlyInB', States: { OnlyInB: { Type: 'Succeed' } } }) } },
      },
    };
    fs.writeFileSync(tmp('template.json'), JSON.stringify(template));
    const r = await cli('render', tmp('template.json'), '--state-machine', 'B');
    expect(r.code).toBe(0);
    expect(r.out).toContain('"OnlyInB"');
    expect(r.out).not.toContain('OnlyInA');
  });

  it.each([
    [['render'], 2, /'render' needs a definition/],
    [['render', EXAMPLE, '--format', 'png'], 2, /--format must be one of mermaid, html, svg, asl-json, asl-yaml, got 'png'/],
    [['render', EXAMPLE, '--direction', 'up'], 2, /--direction must be TD or LR/],
    [['render', EXAMPLE, '--format', 'asl-json', '--coverage', 'c.json'], 2, /exports the definition only/],
    [['render', 'no-such-file.json'], 2, /cannot read no-such-file.json: no such file/],
  ])('refuses %j with exit code %i and says why', async (args, code, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(code);
    expect(r.err).toMatch(message);
  });

  it('refuses a definition it cannot draw with exit code 1, naming the state and field', async () => {
    fs.writeFileSync(tmp('dangling.asl.json'), JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Gone' } } }));
    const r = await cli('render', tmp('dangling.asl.json'));
    expect(r.code).toBe(1);
    expect(r.err).toContain("state 'A' Next names 'Gone', which is not a state of the definition");
  });

  it('draws a chain of 5,000 states as SVG, and refuses a machine too large to lay out with exit code 1 and a message, never an internal error', async () => {
    fs.writeFileSync(tmp('chain.asl.json'), JSON.stringify(linearChain(5000)));
    const chain = await cli('render', tmp('chain.asl.json'), '--format', 'svg');
    expect(chain.err).toBe('');
    expect(chain.code).toBe(0);
    expect(chain.out.match(/class="sw-node state[^"]*" data-state=/g)).toHaveLength(5000);
    fs.writeFileSync(tmp('handler.asl.json'), JSON.stringify(sharedHandler(400)));
    const big = await cli('render', tmp('handler.asl.json'), '--format', 'html');
    expect(big.code).toBe(1);
    expect(big.err).toMatch(/handler\.asl\.json: the diagram is too large to lay out: .*--format mermaid/);
  }, 60_000);

  it('refuses 160 states each catching into every other (1 MiB of definition) as SVG with the rows they would pass, and draws them as Mermaid, as the refusal says', async () => {
    fs.writeFileSync(tmp('all.asl.json'), JSON.stringify(catchIntoEveryOther(160)));
    const svg = await cli('render', tmp('all.asl.json'), '--format', 'svg');
    expect({ code: svg.code, out: svg.out }).toEqual({ code: 1, out: '' });
    expect(svg.err).toMatch(/all\.asl\.json: the diagram is too large to lay out: its transitions would pass \d+ rows .*\(at most 50000\).*--format mermaid/);
    const mermaid = await cli('render', tmp('all.asl.json'), '--format', 'mermaid');
    expect(mermaid.code).toBe(0);
    expect(mermaid.out.split('\n').filter((line) => / -(->|\.->\|"E\d+"\|) /.test(line))).toHaveLength(160 * 160 + 161);
  }, 60_000);

  it('refuses a definition nested deeper than Step Functions reads in every format, with exit code 1 and no stack', async () => {
    fs.writeFileSync(tmp('deep.asl.json'), `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":${'['.repeat(200_000)}${']'.repeat(200_000)},"End":true}}}`);
    for (const format of ['mermaid', 'html', 'svg', 'asl-json', 'asl-yaml']) {
      const r = await cli('render', tmp('deep.asl.json'), '--format', format);
      expect({ format, code: r.code }).toEqual({ format, code: 1 });
      expect(r.err).toContain('nesting deeper than 1000 levels');
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });

  it('refuses a coverage report without the machine, listing what it has', async () => {
    fs.writeFileSync(tmp('two.json'), JSON.stringify({ machines: [{ id: 'a1', name: 'One' }, { id: 'b2', name: 'Two' }] }));
    const r = await cli('render', EXAMPLE, '--coverage', tmp('two.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no coverage for this state machine .* it has: One \(a1\), Two \(b2\)/);
  });

  it('refuses coverage counts the reporter never writes, and a runs field that is not a count, never drawing them into the page', async () => {
    const category = { covered: 0, total: 0, missed: [] };
    const report = (fields: object) => JSON.stringify({ machines: [{ id: 'x', runs: 1, states: category, transitions: category, choices: category, catches: category, retries: category, ...fields }] });
    const cases: Array<[object, string]> = [
      [{ states: { covered: -5, total: 3, missed: [] } }, "'states' counts -5 covered of 3"],
      [{ transitions: { covered: 1e308, total: 1, missed: [] } }, "'transitions' counts 1e+308 covered of 1"],
      [{ choices: { covered: 1, total: 1e-300, missed: [] } }, "'choices' counts 1 covered of 1e-300"],
      [{ catches: { covered: 3, total: 2, missed: [] } }, "'catches' counts 3 covered of 2"],
      [{ runs: '"><script>alert(1)</script>' }, "'runs' is string"],
      [{ runs: -1 }, "'runs' is -1"],
    ];
    for (const [fields, said] of cases) {
      fs.writeFileSync(tmp('crafted.json'), report(fields));
      for (const format of ['html', 'svg', 'mermaid']) {
        const r = await cli('render', EXAMPLE, '--coverage', tmp('crafted.json'), '--format', format);
        expect({ format, fields, code: r.code, said: r.err.includes(said) }).toEqual({ format, fields, code: 1, said: true });
        expect(r.out).toBe('');
      }
    }
  });
});

import * as fc from 'fast-check';
import * as ts from 'typescript';
import { APPROVAL_TIMES_OUT, APPROVED, LARGE_ORDER, ORDER, report, scenario, THROTTLED_THEN_DECLINED } from './fixtures';
import type { JsonValue } from '../../../src/asl/definition-types';
import type { ExploreReport } from '../../../src/explore/report-types';
import { parseMockConfig, scaffoldMockConfig, scaffoldTests, type ScaffoldSource } from '../../../src/testing';
import { commentText, printValue, stringLiteral } from '../../../src/workbench/scaffold/literal';
import { scenarioTitles } from '../../../src/workbench/scaffold/names';

const SOURCE: ScaffoldSource = { definition: '../statemachine/orders.asl.json' };
const write = (r: ExploreReport, extra: { seed?: number; importFrom?: string; source?: ScaffoldSource } = {}) =>
  scaffoldTests(r, { source: SOURCE, definition: ORDER, ...extra });

/** Evaluates a printed expression. */
const evaluate = (code: string): unknown => new Function(`return (${code});`)();

/** TypeScript's syntax errors in a file, as `TS<code>: message`. */
function syntaxErrors(text: string): string[] {
  const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 };
  const out = ts.transpileModule(text, { reportDiagnostics: true, compilerOptions });
  return (out.diagnostics ?? []).map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

/** The `it(...)` titles of a file, read by TypeScript's parser (not by a pattern over the text). */
function itTitles(text: string): string[] {
  const file = ts.createSourceFile('x.test.ts', text, ts.ScriptTarget.ES2022, true);
  const titles: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'it') {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteral(arg)) titles.push(arg.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return titles;
}

describe('scaffolded test names', () => {
  it('name the Choice branches, the Retries and Catches a scenario goes through, and how it ends, in path order', () => {
    expect(scenarioTitles([THROTTLED_THEN_DECLINED, LARGE_ORDER, APPROVED, APPROVAL_TIMES_OUT], ORDER)).toEqual([
      "'Check' chooses 'Charge' by rule 1, retries 'Charge' after Lambda.TooManyRequestsException, catches Payment.Declined in 'Charge', "
        + 'then fails with Order.Declined',
      "'Check' chooses 'Charge' by rule 2, then succeeds",
      "'Check' chooses 'Approve', then succeeds",
      "'Check' chooses 'Approve', 'Approve' times out waiting for its callback, then fails with States.Timeout at 'Approve'",
    ]);
  });

  it('place a Catch where its handler is entered: a Parallel\'s Catch comes after what its branches did', () => {
    const def = {
      StartAt: 'Outer',
      States: {
        Outer: {
          Type: 'Parallel',
          Branches: [{
            StartAt: 'Check',
            States: {
              Check: { Type: 'Choice', Choices: [{ Variable: '$.a', BooleanEquals: true, Next: 'Boom' }], Default: 'Fine' },
              Boom: { Type: 'Fail', Error: 'Boom' },
              Fine: { Type: 'Succeed' },
            },
          }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handler' }],
          End: true,
        },
        Handler: { Type: 'Succeed' },
      },
    } as never;
    const caught = scenario({
      name: 'c',
      path: ['Outer', 'Check', 'Boom', 'Handler'],
      status: 'SUCCEEDED',
      covers: { catches: ['Outer#0'], choiceRules: ['Check#0'] },
    });
    expect(scenarioTitles([caught], def)).toEqual(["'Check' chooses 'Boom', catches Boom in 'Outer', then succeeds"]);
  });

  it('say where an error nothing catches stopped the run, and nothing more for a Fail state', () => {
    const unhandled = scenario({ name: 'x', path: ['Check', 'Charge'], status: 'FAILED', error: 'States.TaskFailed', mocks: { Charge: { Throw: { Error: 'States.TaskFailed' } } } });
    const failState = scenario({ name: 'y', path: ['Check', 'Charge', 'Declined'], status: 'FAILED', error: 'Order.Declined' });
    expect(scenarioTitles([unhandled, failState], ORDER)).toEqual(["fails with States.TaskFailed at 'Charge'", 'fails with Order.Declined']);
  });

  it('name the state whose error failed the run, not the last state another Parallel branch entered', () => {
    const def = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Pay', States: { Pay: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'pay' }, End: true } } },
            { StartAt: 'Ship', States: { Ship: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'ship' }, Next: 'Done' }, Done: { Type: 'Pass', End: true } } },
          ],
          End: true,
        },
      },
    } as never;
    const failed = scenario({
      name: 'p', path: ['Both', 'Pay', 'Ship', 'Done'], status: 'FAILED', error: 'Pay.Failed', mocks: { Pay: { Throw: { Error: 'Pay.Failed' } }, Ship: {} },
    });
    expect(scenarioTitles([failed], def)).toEqual(["fails with Pay.Failed at 'Pay'"]);
    // A run that ends in a Fail state is named for its error alone, though a Task threw the same error before.
    const rethrown = scenario({
      name: 'f', path: ['Check', 'Charge', 'Declined'], status: 'FAILED', error: 'Order.Declined', mocks: { Charge: { Throw: { Error: 'Order.Declined' } } },
    });
    expect(scenarioTitles([rethrown], ORDER)).toEqual(['fails with Order.Declined']);
  });

  it('tell apart two scenarios that read alike by a state only one enters, else by a number', () => {
    const direct = scenario({ name: 'a', path: ['Check', 'Charge'], status: 'SUCCEEDED' });
    const approved = scenario({ name: 'b', path: ['Check', 'Approve', 'Charge'], status: 'SUCCEEDED' });
    const again = scenario({ name: 'c', path: ['Check', 'Charge'], status: 'SUCCEEDED' });
    expect(scenarioTitles([direct, approved, again], ORDER)).toEqual(['succeeds', "succeeds via 'Approve'", 'succeeds (2)']);
  });

  it('count the events past the fourth instead of naming them', () => {
    const many = scenario({
      name: 'm',
      path: ['Check', 'Approve', 'Charge'],
      status: 'SUCCEEDED',
      covers: { choiceRules: ['Check#0', 'Check#1', 'Check#default'], retries: ['Charge#0'], catches: ['Charge#0'] },
    });
    expect(scenarioTitles([many], ORDER)[0]).toMatch(/, and 1 more, then succeeds$/);
  });
});

describe('TypeScript literals in scaffolded files', () => {
  it('print any JSON value so that evaluating the code gives the value back', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 60 }), (value, indent) => {
      expect(evaluate(printValue(value as JsonValue, indent))).toEqual(value);
    }), { numRuns: 300 });
  });

  it('keep a field named __proto__ a field (computed key), not the prototype', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as JsonValue;
    const printed = printValue(value, 0);
    expect(printed).toBe("{ ['__proto__']: { polluted: true }, a: 1 }");
    const back = evaluate(printed) as Record<string, unknown>;
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  it('escape line breaks, control and bidirectional characters and lone surrogates, and quote with the other quote when it reads better', () => {
    expect(stringLiteral("it's")).toBe('"it\'s"');
    expect(stringLiteral('say "hi"')).toBe('\'say "hi"\'');
    expect(stringLiteral('a\nb\u2028c\u202Ed\uD800e\\')).toBe("'a\\nb\\u2028c\\u202ed\\ud800e\\\\'");
    for (const s of ["it's \"both\"", 'x\u0000y', '\u{1F600} ok']) expect(evaluate(stringLiteral(s))).toBe(s);
    expect(commentText('line 1\r\nline 2\u2029 \u202E')).toBe('line 1 line 2\\u2029 \\u202e');
  });

  it('write an object\'s keys all bare when each is an identifier, else all quoted, never mixed (quote-props: consistent-as-needed)', () => {
    expect(printValue({ a: 1, b: { c: 2 } }, 0)).toBe('{ a: 1, b: { c: 2 } }');
    expect(printValue({ 'a': 1, 'b c': 2 }, 0)).toBe("{ 'a': 1, 'b c': 2 }");
    // Each object decides for itself; a __proto__ field stays computed either way.
    expect(printValue(JSON.parse('{"x-y": {"z": 1}, "__proto__": 2}') as JsonValue, 0)).toBe("{ 'x-y': { z: 1 }, ['__proto__']: 2 }");
    const long = { 'order id': 'o-1'.repeat(30), 'total': 10 };
    expect(printValue(long, 0)).toBe(`{\n  'order id': '${long['order id']}',\n  'total': 10,\n}`);
  });

  it('lay out a value on one line when it fits in 100 columns, else one element per line with trailing commas', () => {
    expect(printValue({ a: [1, 2], b: 'x' }, 4)).toBe("{ a: [1, 2], b: 'x' }");
    const long = { items: Array.from({ length: 12 }, (_, i) => `item-number-${i}`) };
    expect(printValue(long, 2)).toBe(`{\n    items: [\n${long.items.map((s) => `      '${s}',\n`).join('')}    ],\n  }`);
  });
});

describe('scaffoldTests', () => {
  const full = report([THROTTLED_THEN_DECLINED, LARGE_ORDER, APPROVED, APPROVAL_TIMES_OUT]);

  it('writes one test per scenario, named for its path', () => {
    const text = write(full);
    expect(syntaxErrors(text)).toEqual([]);
    expect(itTitles(text)).toEqual(scenarioTitles(full.scenarios, ORDER));
  });

  it('runs each scenario with its input and its Task answers as succeed() and fail() mocks, one per call for a list', () => {
    const text = write(full);
    expect(text).toContain([
      '    const run = await wf.run({ vip: true, total: 20 }, {',
      '      mocks: {',
      "        Charge: [fail('Lambda.TooManyRequestsException', 'Rate exceeded'), fail('Payment.Declined')],",
      '      },',
      '    });',
    ].join('\n'));
    // A list too long for one line has an answer per line.
    const long = scenario({
      ...THROTTLED_THEN_DECLINED,
      mocks: {
        Charge: [
          { Throw: { Error: 'Lambda.TooManyRequestsException', Cause: 'Rate exceeded for this account' } },
          { Throw: { Error: 'Payment.Declined', Cause: 'the card was declined' } },
        ],
      },
    });
    expect(write(report([long]))).toContain([
      '      mocks: {',
      '        Charge: [',
      "          fail('Lambda.TooManyRequestsException', 'Rate exceeded for this account'),",
      "          fail('Payment.Declined', 'the card was declined'),",
      '        ],',
      '      },',
    ].join('\n'));
    // A plain value and {"Return": v} are both the result; an array result stays one answer.
    expect(text).toContain('        Approve: succeed({ approved: true }),\n        Charge: succeed([1, 2]),\n');
  });

  it('asserts the outcome with toSucceed or toFail (error and cause), the path with toHavePath, and the output with toHaveOutput', () => {
    const text = write(full);
    expect(text).toContain([
      "    expect(run).toFail('Order.Declined', 'the card was declined');",
      "    expect(run).toHavePath(['Check', 'Charge', 'Declined']);",
      '  });',
    ].join('\n'));
    expect(text).toContain([
      '    expect(run).toSucceed();',
      "    expect(run).toHavePath(['Check', 'Charge']);",
      "    expect(run).toHaveOutput({ chargeId: 'ch_1', amount: 101 });",
    ].join('\n'));
    expect(text).toContain("    expect(run).toFail('States.Timeout');\n");
  });

  it('checks a status other than FAILED before the error', () => {
    const timedOut = scenario({ name: 't', path: ['Check', 'Approve'], status: 'TIMED_OUT', error: 'States.Timeout', cause: 'the execution ran past its TimeoutSeconds' });
    expect(write(report([timedOut]))).toContain("    expect(run.status).toBe('TIMED_OUT');\n    expect(run).toFail('States.Timeout', 'the execution ran past its TimeoutSeconds');\n");
  });

  it('asserts a long path by its decisive states and the Choice branches it does not take, and a path explore cut short by its full length', () => {
    const looped = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? 'Check' : 'Approve'));
    const long = scenario({ name: 'l', path: looped, status: 'SUCCEEDED', output: null, covers: { choiceRules: ['Check#default'] } });
    const cut = scenario({ name: 'c', input: { n: 1 }, path: ['Check', 'Approve'], pathLength: 4000, status: 'FAILED', error: 'States.Runtime' });
    const text = write(report([long, cut]));
    // 'Approve' is the branch taken and the state it ends in; 'Charge', the branch not taken, is never entered.
    // How often the loop ran is pinned by the visits of its states (25 turns), not by the path's length.
    expect(text).toContain("    expect(run).toHaveVisited('Approve');\n    expect(run).not.toHaveVisited('Charge');\n"
      + "    expect(run.path.filter((s) => s === 'Check')).toHaveLength(25);\n    expect(run.path.filter((s) => s === 'Approve')).toHaveLength(25);\n"
      + '    expect(run).toHaveOutput(null);\n');
    expect(text).not.toContain('toHaveLength(50)');
    expect(text).toContain('    expect(run.path).toHaveLength(4000);\n');
  });

  it('asserts a long path that retries and is caught by the state that catches, its handler and the last state, not every state', () => {
    const s = scenario({
      name: 'r',
      path: ['Check', 'Approve', 'Charge', 'Check', 'Approve', 'Charge', 'Declined'],
      status: 'FAILED',
      error: 'Order.Declined',
      covers: { choiceRules: ['Check#default'], retries: ['Charge#0'], catches: ['Charge#0'] },
    });
    const text = write(report([s]));
    expect(text).toContain("    expect(run).toFail('Order.Declined');\n    expect(run).toHaveVisited(...['Approve', 'Charge', 'Declined']);\n"
      + "    expect(run.path.filter((s) => s === 'Check')).toHaveLength(2);\n    expect(run.path.filter((s) => s === 'Approve')).toHaveLength(2);\n"
      + "    expect(run.path.filter((s) => s === 'Charge')).toHaveLength(2);\n  });");
    expect(text).not.toContain('toHavePath');
  });

  it('checks only the short top-level fields of a long output, and the beginning of a long cause', () => {
    const output = { id: 'o-1', rows: Array.from({ length: 300 }, (_, i) => ({ row: i })) };
    const big = scenario({ name: 'b', path: ['Check', 'Charge'], status: 'SUCCEEDED', output });
    const cause = `${'x'.repeat(100)}${'y'.repeat(200)}`;
    const wordy = scenario({ name: 'w', input: { n: 1 }, path: ['Check', 'Charge'], status: 'FAILED', error: 'States.Runtime', cause });
    const text = write(report([big, wordy]));
    expect(text).toContain("    expect(run).toHaveOutput(expect.objectContaining({ id: 'o-1' }));\n");
    expect(text).toContain(`    expect(run).toFail('States.Runtime', expect.stringContaining('${'x'.repeat(100)}'));\n`);
  });

  it('leaves the HTTP metadata a mocked lambda:invoke answer is wrapped in out of the output it asserts, at the top or inside a field', () => {
    const envelope = {
      ExecutedVersion: '$LATEST',
      Payload: { total: 3 },
      SdkHttpMetadata: { HttpHeaders: { 'x-amzn-RequestId': '424b3abb-5940-46e8-b012-6ef463a5bdee' }, HttpStatusCode: 200 },
      SdkResponseMetadata: { RequestId: '424b3abb-5940-46e8-b012-6ef463a5bdee' },
      StatusCode: 200,
    };
    const top = scenario({ name: 't', path: ['Check', 'Charge'], status: 'SUCCEEDED', output: envelope });
    const inside = scenario({ name: 'i', input: { id: 'o-2' }, path: ['Check', 'Charge'], status: 'SUCCEEDED', output: { id: 'o-2', charge: envelope } });
    const text = write(report([top, inside]));
    expect(syntaxErrors(text)).toEqual([]);
    expect(text).not.toContain('SdkHttpMetadata');
    expect(text).not.toContain('424b3abb');
    expect(text).toContain("expect(run).toHaveOutput(expect.objectContaining({\n      ExecutedVersion: '$LATEST',\n      Payload: { total: 3 },\n      StatusCode: 200,\n    }));\n");
    expect(text).toContain("expect(run).toHaveOutput(expect.objectContaining({ id: 'o-2' }));\n");
    expect(text).toContain('// The HTTP metadata the mocked answer is wrapped in is left out');
  });

  it('writes scenarios that run the same input, end alike and differ only in their Task answers as one it.each table, a row each', () => {
    const retried = (state: string) => scenario({
      name: state,
      input: { vip: true },
      path: ['Check', 'Charge'],
      status: 'SUCCEEDED',
      output: { chargeId: 'ch_1' },
      mocks: { Charge: [{ Throw: { Error: state } }, { Return: { chargeId: 'ch_1' } }] },
      covers: { retries: ['Charge#0'] },
    });
    const charge = (ORDER.States as unknown as Record<string, Record<string, unknown>>).Charge;
    const def = {
      ...ORDER,
      States: { ...ORDER.States, Charge: { ...charge, Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException', 'Lambda.ServiceException'] }] } },
    } as never;
    const text = scaffoldTests(report([retried('Lambda.TooManyRequestsException'), retried('Lambda.ServiceException'), LARGE_ORDER]), { source: SOURCE, definition: def });
    expect(syntaxErrors(text)).toEqual([]);
    expect(text).toContain("import type { Mock } from 'stepwright/testing';\n");
    expect(text).toContain([
      '  it.each<[string, Record<string, Mock>]>([',
      '    [',
      '      "retries \'Charge\' after Lambda.TooManyRequestsException, then succeeds",',
      '      {',
      "        Charge: [fail('Lambda.TooManyRequestsException'), succeed({ chargeId: 'ch_1' })],",
      '      },',
      '    ],',
      '    [',
      '      "retries \'Charge\' after Lambda.ServiceException, then succeeds",',
    ].join('\n'));
    expect(text).toContain([
      "  ])('%s', async (_name, mocks) => {",
      '    const run = await wf.run({ vip: true }, { mocks });',
      '',
      '    expect(run).toSucceed();',
    ].join('\n'));
    // The scenario that runs another input stays a test of its own.
    expect(itTitles(text)).toEqual([scenarioTitles([LARGE_ORDER], def)[0]]);
    expect(text.match(/^  it\.each</gm)).toHaveLength(1);
  });

  it('writes two scenarios with the same input and the same Task answers once', () => {
    const twice = scenario({ ...LARGE_ORDER, name: 'again' });
    const text = write(report([LARGE_ORDER, twice, APPROVED]));
    expect(itTitles(text)).toEqual(scenarioTitles([LARGE_ORDER, APPROVED], ORDER));
  });

  it('reaches a Task\'s timeout on the virtual clock: a delay past its TimeoutSeconds, not a fail(\'States.Timeout\') mock', () => {
    const text = write(report([APPROVAL_TIMES_OUT]));
    expect(text).toContain('        Approve: delay(61),\n');
    expect(text).not.toContain("fail('States.Timeout')");
    expect(text).toContain("import { Workflow, delay } from 'stepwright/testing';\n");
    expect(text).toContain("    expect(run).toFail('States.Timeout');\n");
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['TimeoutSecondsPath (known only at run time)', { TimeoutSecondsPath: '$.wait' }, "fail('States.Timeout')"],
    ['a HeartbeatSeconds shorter than its TimeoutSeconds', { TimeoutSeconds: 600, HeartbeatSeconds: 30 }, 'delay(31)'],
  ])('keeps a timeout mock as fail() only when the Task\'s limit is unknown: %s', (_what, limits, expected) => {
    const { TimeoutSeconds: _t, ...approve } = (ORDER.States as unknown as Record<string, Record<string, unknown>>).Approve;
    const def = { ...ORDER, States: { ...ORDER.States, Approve: { ...approve, ...limits } } } as never;
    expect(scaffoldTests(report([APPROVAL_TIMES_OUT]), { source: SOURCE, definition: def })).toContain(`        Approve: ${expected},\n`);
  });

  it('imports only the helpers it uses and passes a seed other than 0', () => {
    const text = write(report([LARGE_ORDER]), { seed: 7, importFrom: 'my-stepwright/testing' });
    expect(text).toContain("import { Workflow, succeed } from 'my-stepwright/testing';\n");
    expect(text).toContain('      seed: 7,\n');
    expect(write(report([scenario({ name: 'n', path: ['Check'], status: 'FAILED' })]))).toContain("import { Workflow } from 'stepwright/testing';\n");
  });

  it('imports the matchers\' setup first when asked, for a project without setupFilesAfterEnv', () => {
    const text = scaffoldTests(report([LARGE_ORDER]), { source: SOURCE, definition: ORDER, importSetup: true });
    expect(text).toContain("\nimport 'stepwright/testing/setup';\nimport * as path from 'path';\n");
    expect(write(report([LARGE_ORDER]))).not.toContain('/setup');
  });

  it.each<[string, ScaffoldSource, string[]]>([
    ['an ASL file', { definition: '../orders.asl.json' }, ["import * as path from 'path';", "const wf = Workflow.fromDefinition(path.resolve(__dirname, '../orders.asl.json'));"]],
    ['a template', { template: 'cdk.out/Orders.template.json', stateMachine: 'OrdersMachine' },
      ["const wf = Workflow.fromTemplate(path.resolve(__dirname, 'cdk.out/Orders.template.json'), { stateMachine: 'OrdersMachine' });"]],
    ['a cloud assembly', { cdkOut: '../cdk.out', stack: 'Orders' }, ["const wf = Workflow.fromCdkOut(path.resolve(__dirname, '../cdk.out'), 'Orders');"]],
    ['a CDK stack', { stackModule: '../lib/order-stack', stackClass: 'OrderStack', stackId: 'OrderWorkflow' }, [
      "import { App } from 'aws-cdk-lib';",
      "import { OrderStack } from '../lib/order-stack';",
      "const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });",
      "const wf = Workflow.fromStack(new OrderStack(app, 'OrderWorkflow'));",
    ]],
  ])('loads the machine from %s as the explored source was loaded', (_what, source, lines) => {
    const text = write(report([LARGE_ORDER]), { source });
    for (const line of lines) expect(text.split('\n')).toContain(line);
  });

  it('passes the workflow type explore ran as', () => {
    expect(scaffoldTests(report([LARGE_ORDER]), { source: SOURCE, definition: ORDER, type: 'EXPRESS' }))
      .toContain("Workflow.fromDefinition(path.resolve(__dirname, '../statemachine/orders.asl.json'), { type: 'EXPRESS' });");
  });

  it('refuses a stack class that is not a name, rather than write it into code', () => {
    expect(() => write(report([LARGE_ORDER]), { source: { stackModule: 'x', stackClass: 'A; process.exit()', stackId: 's' } }))
      .toThrow(/stackClass must be the name of the exported stack class, got "A; process.exit\(\)"/);
  });

  it('says in its first comments what explore reached, what it proved unreachable and why, and what it did not reach', () => {
    const text = write(full);
    expect(text).toContain('// explore reached states 4/4, transitions 4/5, Choice rules 3/3, catches 1/1, retries 1/1, callback outcomes 1/3.\n');
    expect(text).toContain('// No input or Task answer can reach (proved):\n// - callback outcomes: Approve#failure: nothing sends a failure\n');
    expect(text).toContain([
      '// Not reached, and not proved unreachable (2 goals):',
      '// - transitions: Approve -> Charge: no scenario reached it',
      '// - callback outcomes: Approve#timeout: the search ran out of time',
    ].join('\n'));
  });

  it('writes a machine\'s hostile names as data: quotes, line breaks, __proto__ and */ stay inside their strings and comments', () => {
    const name = "it's */ \"odd\"\nname";
    const def = { StartAt: name, States: { [name]: { Type: 'Pass', End: true } } } as never;
    const hostile = report([scenario({
      name: 'h',
      path: [name],
      status: 'SUCCEEDED',
      output: JSON.parse('{"__proto__": 1}') as JsonValue,
      mocks: JSON.parse('{"__proto__": {"Return": 1}}'),
    })], { machine: "Orders'\n// injected" });
    const text = scaffoldTests(hostile, { source: { definition: "a'b\n.json" }, definition: def });
    expect(syntaxErrors(text)).toEqual([]);
    expect(itTitles(text)).toEqual(['succeeds']);
    expect(text).toContain("        ['__proto__']: succeed(1),\n");
    expect(text).not.toMatch(/^\/\/ injected/m);
    expect(text).toContain('const wf = Workflow.fromDefinition(path.resolve(__dirname, "a\'b\\n.json"));');
  });

  it('gives the same bytes for the same report, and for the report read back from JSON', () => {
    const again = JSON.parse(JSON.stringify(full)) as ExploreReport;
    expect(write(again)).toBe(write(full));
    expect(write(full)).toBe(write(full));
  });

  it('writes a test that the machine loads when explore found no scenario', () => {
    const text = write(report([]));
    expect(syntaxErrors(text)).toEqual([]);
    expect(itTitles(text)).toEqual(['loads the state machine (explore found no scenario to run: write the first test by hand)']);
  });

  it('notes above a test when explore\'s own run of its scenario ended differently', () => {
    const text = write(report([LARGE_ORDER], { findings: [{ kind: 'not-confirmed', message: 'run again, it ended FAILED', scenario: 'Check#1' }] }));
    expect(text).toContain("  // explore: run again, it ended FAILED\n  it(\"'Check' chooses 'Charge' by rule 2, then succeeds\"");
  });
});

describe('scaffoldMockConfig', () => {
  const full = report([THROTTLED_THEN_DECLINED, LARGE_ORDER, APPROVED, APPROVAL_TIMES_OUT]);

  it('writes one test case per scenario, named for its path, that the MockConfigFile reader accepts', () => {
    const config = scaffoldMockConfig(full, { definition: ORDER });
    expect(parseMockConfig(JSON.stringify(config))).toEqual(config);
    expect(Object.keys(config.StateMachines)).toEqual(['Orders']);
    expect(Object.keys(config.StateMachines.Orders.TestCases)).toEqual([
      'CheckChoosesChargeByRule1RetriesChargeAfterLambdaTooManyRequestsExceptionCatches',
      'CheckChoosesChargeByRule2ThenSucceeds',
      'CheckChoosesApproveThenSucceeds',
      'CheckChoosesApproveApproveTimesOutWaitingForItsCallbackThenFailsWithStates',
    ]);
  });

  it('answers a lambda:invoke Task with the Invoke response around the value, and a callback Task with the value', () => {
    const config = scaffoldMockConfig(full, { definition: ORDER });
    const cases = config.StateMachines.Orders.TestCases;
    expect(config.MockedResponses[cases.CheckChoosesChargeByRule2ThenSucceeds.Charge]).toEqual({
      // One answer for every call: the Task's one entry and its two retries.
      '0-2': { Return: { StatusCode: 200, Payload: { chargeId: 'ch_1', amount: 101 } } },
    });
    // A callback Task with no Retry is called once per entry.
    expect(config.MockedResponses[cases.CheckChoosesApproveThenSucceeds.Approve]).toEqual({ 0: { Return: { approved: true } } });
  });

  it('gives a list one entry per call and leaves out the Cause of a Throw without one, named for what it does', () => {
    const config = scaffoldMockConfig(full, { definition: ORDER });
    const name = config.StateMachines.Orders.TestCases.CheckChoosesChargeByRule1RetriesChargeAfterLambdaTooManyRequestsExceptionCatches.Charge;
    expect(name).toBe('ChargeThrowsLambdaTooManyRequestsExceptionThenThrowsPaymentDeclined');
    expect(config.MockedResponses[name]).toEqual({
      0: { Throw: { Error: 'Lambda.TooManyRequestsException', Cause: 'Rate exceeded' } },
      1: { Throw: { Error: 'Payment.Declined' } },
    });
  });

  it('folds equal answers in a row into a range, and shares a response two test cases give alike', () => {
    const busy = { Throw: { Error: 'Busy', Cause: 'try later' } };
    const a = scenario({ name: 'a', path: ['Check', 'Charge'], status: 'SUCCEEDED', mocks: { Charge: [busy, busy, { Return: 1 }] } });
    const b = scenario({ name: 'b', path: ['Check', 'Approve', 'Charge'], status: 'SUCCEEDED', mocks: { Charge: [busy, busy, { Return: 1 }] } });
    const config = scaffoldMockConfig(report([a, b]), { definition: ORDER, machineName: 'OrdersLocal' });
    const cases = Object.values(config.StateMachines.OrdersLocal.TestCases);
    expect(cases[0].Charge).toBe(cases[1].Charge);
    expect(config.MockedResponses[cases[0].Charge]).toEqual({ '0-1': { Throw: { Error: 'Busy', Cause: 'try later' } }, '2': { Return: { StatusCode: 200, Payload: 1 } } });
  });

  it('keeps state and test case names that are prototype keys as fields', () => {
    const def = JSON.parse('{"StartAt": "__proto__", "States": {"__proto__": {"Type": "Pass", "End": true}}}');
    const s = scenario({ name: 'p', path: ['__proto__'], status: 'SUCCEEDED', mocks: JSON.parse('{"__proto__": 1}') });
    const config = scaffoldMockConfig(report([s], { machine: '__proto__' }), { definition: def });
    expect(Object.hasOwn(config.StateMachines, '__proto__')).toBe(true);
    expect(JSON.parse(JSON.stringify(config)).StateMachines.__proto__.TestCases.Succeeds).toEqual(JSON.parse('{"__proto__": "ProtoReturns"}'));
  });

  it('gives the same file for the same report', () => {
    const again = JSON.parse(JSON.stringify(full)) as ExploreReport;
    expect(JSON.stringify(scaffoldMockConfig(again, { definition: ORDER }))).toBe(JSON.stringify(scaffoldMockConfig(full, { definition: ORDER })));
  });
});

import { compileJsonataValue, JsonataSyntaxError } from '../../../src/asl/jsonata/compile';
import { validateDefinition, type Finding } from '../../../src/asl/validate';
import { refusedReferences } from '../../../src/asl/validate/jsonata-references';

/*
 * Rules measured on real AWS with validate-state-machine-definition (facts
 * reported in floci-io/floci#2670, #2745 and #2968).
 */

const errors = (def: unknown): Finding[] => validateDefinition(def).filter((f) => f.severity === 'error');
/** A JSONata machine with one Pass state E whose Output is `{ v: '{% expr %}' }`. */
const outputOf = (expr: string) => ({
  QueryLanguage: 'JSONata', StartAt: 'E', States: { E: { Type: 'Pass', Output: { v: `{% ${expr} %}` }, End: true } },
});
/** The message of each UNSUPPORTED_JSONATA_EXPRESSION error at /States/E/Output/v (any other error fails the test). */
const refusals = (expr: string): string[] => {
  const found = errors(outputOf(expr));
  for (const f of found) expect(f).toMatchObject({ code: 'UNSUPPORTED_JSONATA_EXPRESSION', location: '/States/E/Output/v' });
  return found.map((f) => f.message);
};
/** The names quoted in "Reference to 'x'" messages, in order. */
const names = (expr: string): string[] => refusals(expr).map((m) => /^Reference to '(.*?)'/.exec(m)?.[1] ?? m);

describe('UNSUPPORTED_JSONATA_EXPRESSION: names read at the top level', () => {
  it("refuses a bare name with AWS's message and a how-to-fix", () => {
    const [f, ...rest] = errors(outputOf('phone'));
    expect(rest).toEqual([]);
    expect(f).toEqual({
      code: 'UNSUPPORTED_JSONATA_EXPRESSION',
      severity: 'error',
      location: '/States/E/Output/v',
      message: expect.stringMatching(/^Reference to 'phone' at the top level is not supported\. .*read it from \$states\.input\.phone, or use a variable \$phone$/),
    });
  });

  it.each([
    'phone', 'phone[0].number', 'phone.number.street', 'phone.**.deeper', '-phone', 'phone ? 1 : 2',
    '$states.input.a ? phone : 2', "phone & 'x'", 'phone in $states.input.b', 'phone ~> $string()', '[1..phone]',
    '$sum(phone)', 'phone(1)', '$count(phone[inner])', '(phone)', '(phone).other', '[phone].other', '[phone, 1]',
    '{phone: 1}', '($x := phone; $x)', '$map($states.input.a, function($y){ phone })', '`phone`', 'phone#$i', 'phone@$p',
  ])('refuses %s, reporting only phone', (expr) => {
    expect(names(expr)).toEqual(['phone']);
  });

  it.each(['$', '$.phone', '$[0]', '$string($)', '$map($states.input.a, function($x){ $ })'])(
    "refuses the context item in %s, reporting '$'", (expr) => {
      expect(refusals(expr)).toEqual([expect.stringMatching(/^Reference to '\$' at the top level is not supported\. /)]);
    });

  it.each(['$$', '$$.phone', '$states.input.a[$$.x]'])("refuses the root %s with Reference to '$$' is not supported.", (expr) => {
    expect(refusals(expr)).toEqual([expect.stringMatching(/^Reference to '\$\$' is not supported\. /)]);
  });

  it('reports each distinct name once, in the order written', () => {
    expect(names('zeta + alpha + zeta + $ + alpha')).toEqual(['zeta', 'alpha', '$']);
  });

  it.each([
    '$states.input.phone', '$states.input.a[0].phone', '$states.input.items[phone > 3]', '$states.input.a^(phone)',
    "$states.input.a{'k': phone}", '$states.input.a{phone: 1}', '$states.input.a.(phone)', '$states.input.a.$phone',
    '$states.input.a[0][phone]', '$states.input.a[$ > 1]', '$phone', '$now()', '$states.input.a ~> $string()',
    "$states.input ~> |phone|{'b': 1}|", '**.phone', "{'k': 1}.phone", "{'k': 1}", 'function($x){ $x.phone }',
    '$map($states.input.a, function($x){ $x.phone })', "'phone'", '1 + 1', '$states.input.a.*.b', '$states',
    '$states.input.a#$i[phone]', '$states.input.a@$p.phone', '/ab/', '$string(?)', '$states.context.Execution.Id',
    '$states.input.a[0].{"k": phone}', '$states.input.errorOutput', '$states.error',
  ])('accepts %s', (expr) => {
    expect(errors(outputOf(expr))).toEqual([]);
  });

  it('never reports a name inside an AST node it does not know, but still finds $$ there', () => {
    const name = { type: 'path', steps: [{ type: 'name', value: 'phone', position: 5 }] };
    const mystery = { type: 'mystery', inner: name, list: [[{ type: 'variable', value: '$', position: 9 }]] };
    expect(refusedReferences(mystery)).toEqual([{ kind: 'root', name: '$$', position: 9 }]);
  });

  // Step Functions implements JSONata 2.0.6 (Developer Guide, "Transforming data with JSONata"); `??` and `?:` came in 2.1.0.
  it.each([['$states.input.a ?? 1', '??', 'The symbol "?"'], ['$states.input.a ?: 1', '?:', 'The symbol ":"']])(
    'refuses %s, a JSONata 2.1 operator, with INVALID_JSONATA, as the run refuses it', (expr, operator, words) => {
      const found = errors(outputOf(expr));
      expect(found).toEqual([expect.objectContaining({ code: 'INVALID_JSONATA', location: '/States/E/Output/v' })]);
      expect(found[0].message).toContain(`${words} cannot be used as a unary operator (at character 19): '${operator}' came in JSONata 2.1.0, and Step Functions implements JSONata 2.0.6`);
      expect(() => compileJsonataValue(`{% ${expr} %}`, 'Output')).toThrow(JsonataSyntaxError);
    });

  it('reports only INVALID_JSONATA for an expression that does not parse', () => {
    expect(errors(outputOf('phone +')).map((f) => f.code)).toEqual(['INVALID_JSONATA']);
  });

  it('leaves JSONPath states and Comment alone', () => {
    const def = {
      StartAt: 'P',
      States: {
        P: { Type: 'Pass', Comment: '{% phone %}', Parameters: { v: '{% phone %}' }, Next: 'Q' },
        Q: { Type: 'Pass', QueryLanguage: 'JSONata', Comment: '{% phone %}', End: true },
      },
    };
    expect(errors(def)).toEqual([]);
  });
});

describe('UNSUPPORTED_JSONATA_EXPRESSION: every JSONata-evaluated field', () => {
  const ref = (name: string) => `{% ${name} %}`;
  it('checks Output, Assign and Arguments of a Task, its Credentials, TimeoutSeconds and HeartbeatSeconds', () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          End: true,
          Arguments: { p: [ref('a')] },
          Output: ref('b'),
          Assign: { x: ref('c') },
          Credentials: { RoleArn: ref('d') },
          TimeoutSeconds: ref('e'),
          HeartbeatSeconds: ref('f'),
        },
      },
    };
    expect(errors(def).map((f) => `${f.code} ${f.location}`)).toEqual([
      'UNSUPPORTED_JSONATA_EXPRESSION /States/T/Arguments/p/0',
      'UNSUPPORTED_JSONATA_EXPRESSION /States/T/Output',
      'UNSUPPORTED_JSONATA_EXPRESSION /States/T/Credentials/RoleArn',
      'UNSUPPORTED_JSONATA_EXPRESSION /States/T/Assign/x',
      'UNSUPPORTED_JSONATA_EXPRESSION /States/T/TimeoutSeconds',
      'UNSUPPORTED_JSONATA_EXPRESSION /States/T/HeartbeatSeconds',
    ]);
  });

  it('checks a Choice Condition, a rule Output and Assign, Wait Seconds and Timestamp, and Fail Error and Cause', () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Condition: ref('a'), Output: ref('b'), Assign: { x: ref('c') }, Next: 'W' }], Default: 'T' },
        W: { Type: 'Wait', Seconds: ref('d'), Next: 'T' },
        T: { Type: 'Wait', Timestamp: ref('e'), Next: 'F' },
        F: { Type: 'Fail', Error: ref('f'), Cause: ref('g') },
      },
    };
    expect(errors(def).map((f) => f.location).sort()).toEqual([
      '/States/C/Choices/0/Assign/x', '/States/C/Choices/0/Condition', '/States/C/Choices/0/Output',
      '/States/F/Cause', '/States/F/Error', '/States/T/Timestamp', '/States/W/Seconds',
    ]);
  });

  it('checks Map Items, ItemSelector, ItemBatcher.BatchInput, MaxConcurrency and the tolerated failures', () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          End: true,
          Items: ref('a'),
          ItemSelector: { v: ref('b') },
          ItemBatcher: { BatchInput: { v: ref('c') } },
          MaxConcurrency: ref('d'),
          ToleratedFailurePercentage: ref('e'),
          ToleratedFailureCount: ref('f'),
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
        },
      },
    };
    expect(errors(def).map((f) => `${f.code} ${f.location}`).sort()).toEqual([
      'UNSUPPORTED_JSONATA_EXPRESSION /States/M/ItemBatcher/BatchInput/v',
      'UNSUPPORTED_JSONATA_EXPRESSION /States/M/ItemSelector/v',
      'UNSUPPORTED_JSONATA_EXPRESSION /States/M/Items',
      'UNSUPPORTED_JSONATA_EXPRESSION /States/M/MaxConcurrency',
      'UNSUPPORTED_JSONATA_EXPRESSION /States/M/ToleratedFailureCount',
      'UNSUPPORTED_JSONATA_EXPRESSION /States/M/ToleratedFailurePercentage',
    ]);
  });

  it('checks the Output and Assign of a Catch entry', () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'D', Output: ref('a'), Assign: { x: ref('b') } }] },
        D: { Type: 'Succeed' },
      },
    };
    expect(errors(def).map((f) => `${f.code} ${f.location}`).sort()).toEqual([
      'UNSUPPORTED_JSONATA_EXPRESSION /States/T/Catch/0/Assign/x',
      'UNSUPPORTED_JSONATA_EXPRESSION /States/T/Catch/0/Output',
    ]);
  });
});

describe('UNSUPPORTED_JSONATA_EXPRESSION: $states.errorOutput', () => {
  /** A JSONata Task T with `extra` fields, and a Succeed D for a Catch to go to. */
  const task = (extra: Record<string, unknown>) => ({
    QueryLanguage: 'JSONata',
    StartAt: 'T',
    States: {
      T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: 'D', ...extra },
      D: { Type: 'Succeed' },
    },
  });

  it("refuses it in a state's Output with Field '$states.errorOutput' does not exist.", () => {
    expect(errors(task({ Output: '{% $states.errorOutput %}' }))).toEqual([{
      code: 'UNSUPPORTED_JSONATA_EXPRESSION',
      severity: 'error',
      location: '/States/T/Output',
      message: expect.stringMatching(/^Field '\$states\.errorOutput' does not exist\. It exists only in the Output and Assign of a Catch entry/),
    }]);
  });

  it("refuses it in a state's Assign and in a Pass Output, even inside a predicate", () => {
    expect(errors(task({ Assign: { e: '{% $states.errorOutput.Cause %}' } })).map((f) => f.location)).toEqual(['/States/T/Assign/e']);
    expect(refusals('$states.input.a[$states.errorOutput]')).toEqual([expect.stringMatching(/^Field '\$states\.errorOutput' does not exist\./)]);
  });

  it("accepts it in a Catch entry's own Output and Assign", () => {
    const def = task({ Catch: [{ ErrorEquals: ['States.ALL'], Next: 'D', Output: '{% $states.errorOutput %}', Assign: { e: '{% $states.errorOutput.Error %}' } }] });
    expect(errors(def)).toEqual([]);
  });
});

describe('nested states inherit the machine QueryLanguage, not their Map or Parallel', () => {
  /** A JSONPath machine whose container declares JSONata for its own fields; the inner Pass P has Output and no QueryLanguage. */
  const inner = { Type: 'Pass', Output: '{% $states.input %}', End: true };
  const jsonataMap = (p: Record<string, unknown>, processor: Record<string, unknown> = {}) => ({
    StartAt: 'M',
    States: { M: { Type: 'Map', QueryLanguage: 'JSONata', Items: '{% $states.input.items %}', End: true, ItemProcessor: { ...processor, StartAt: 'P', States: { P: p } } } },
  });
  const jsonataParallel = (p: Record<string, unknown>) => ({
    StartAt: 'PAR',
    States: { PAR: { Type: 'Parallel', QueryLanguage: 'JSONata', Output: '{% $states.input %}', End: true, Branches: [{ StartAt: 'P', States: { P: p } }] } },
  });
  const locations = (def: unknown) => errors(def).map((f) => `${f.code} ${f.location}`);

  it('refuses JSONata Output on a state inside a JSONata Map of a JSONPath machine, as if the Map declared nothing', () => {
    expect(locations(jsonataMap(inner))).toEqual(['INVALID_QUERY_LANGUAGE /States/M/ItemProcessor/States/P/Output']);
  });

  it('does the same inside an Iterator and a DISTRIBUTED ItemProcessor', () => {
    const def = jsonataMap(inner, { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } });
    expect(locations(def)).toEqual(['INVALID_QUERY_LANGUAGE /States/M/ItemProcessor/States/P/Output']);
    const iterator = { StartAt: 'M', States: { M: { Type: 'Map', QueryLanguage: 'JSONata', End: true, Iterator: { StartAt: 'P', States: { P: inner } } } } };
    expect(locations(iterator)).toEqual(['INVALID_QUERY_LANGUAGE /States/M/Iterator/States/P/Output']);
  });

  it('refuses JSONata Output on a state inside a JSONata Parallel branch of a JSONPath machine', () => {
    expect(locations(jsonataParallel(inner))).toEqual(['INVALID_QUERY_LANGUAGE /States/PAR/Branches/0/States/P/Output']);
  });

  it("checks the Map's and the Parallel's own fields (Items, Output) in their own language", () => {
    const jsonPathInner = { Type: 'Pass', Parameters: { 'v.$': '$.a' }, End: true };
    expect(locations(jsonataMap(jsonPathInner))).toEqual([]);
    expect(locations(jsonataParallel(jsonPathInner))).toEqual([]);
  });

  it('lets a nested state that declares its own QueryLanguage use it, at any depth', () => {
    const own = { ...inner, QueryLanguage: 'JSONata' };
    expect(locations(jsonataMap(own))).toEqual([]);
    expect(locations(jsonataParallel(own))).toEqual([]);
    const deep = jsonataParallel({ Type: 'Map', End: true, ItemProcessor: { StartAt: 'Q', States: { Q: own } } });
    expect(locations(deep)).toEqual([]);
  });

  it('runs states inside a JSONPath Map of a JSONata machine as JSONata', () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'M',
      States: { M: { Type: 'Map', Items: '{% $states.input.items %}', End: true, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: {}, End: true } } } } },
    };
    expect(locations(def)).toEqual(['INVALID_QUERY_LANGUAGE /States/M/ItemProcessor/States/P/Parameters']);
  });
});

describe('QueryLanguage on an item processor, Iterator or branch', () => {
  const body = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
  const notSupported = {
    code: 'SCHEMA_VALIDATION_FAILED',
    severity: 'error',
    message: expect.stringMatching(/^Field 'QueryLanguage' is not supported\. .*set QueryLanguage on the states inside instead, or on the (Map|Parallel) state for its own fields$/),
  };

  it.each([['ItemProcessor'], ['Iterator']])('refuses QueryLanguage on a Map %s with SCHEMA_VALIDATION_FAILED at the processor', (field) => {
    const def = { StartAt: 'M', States: { M: { Type: 'Map', End: true, [field]: { ...body, QueryLanguage: 'JSONPath' } } } };
    expect(errors(def)).toEqual([{ ...notSupported, location: `/States/M/${field}` }]);
  });

  it('refuses QueryLanguage on a Parallel branch with SCHEMA_VALIDATION_FAILED at the branch', () => {
    const def = { StartAt: 'PAR', States: { PAR: { Type: 'Parallel', End: true, Branches: [body, { ...body, StartAt: 'Q', States: { Q: { Type: 'Pass', End: true } }, QueryLanguage: 'JSONata' }] } } };
    expect(errors(def)).toEqual([{ ...notSupported, location: '/States/PAR/Branches/1' }]);
  });

  it('refuses it on a DISTRIBUTED processor too, and only once for a value that is not a language', () => {
    const def = {
      StartAt: 'M',
      States: { M: { Type: 'Map', End: true, ItemProcessor: { ...body, ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, QueryLanguage: 'XPath' } } },
    };
    expect(errors(def)).toEqual([{ ...notSupported, location: '/States/M/ItemProcessor' }]);
  });
});

/*
 * A Map's number fields, measured on AWS with validate-state-machine-definition
 * (floci-io/floci#3733): a `...Path` may not read the Context Object (only ItemsPath may),
 * and ItemBatcher's `...Path` fields do not exist under JSONata.
 */
describe("a Map's number ...Path fields", () => {
  const distributedMap = (fields: Record<string, unknown>, queryLanguage = 'JSONPath') => ({
    QueryLanguage: queryLanguage,
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map',
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
        ...fields,
        End: true,
      },
    },
  });
  const reader = (config: Record<string, unknown>) => ({
    ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON', ...config }, Parameters: { Bucket: 'b', Key: 'k' } },
  });

  it.each([
    ['MaxConcurrencyPath', { MaxConcurrencyPath: '$$.Execution.Input.n' }, '/States/M/MaxConcurrencyPath'],
    ['ToleratedFailureCountPath', { ToleratedFailureCountPath: '$$.Execution.Input.n' }, '/States/M/ToleratedFailureCountPath'],
    ['ToleratedFailurePercentagePath', { ToleratedFailurePercentagePath: '$$.Execution.Input.n' }, '/States/M/ToleratedFailurePercentagePath'],
    ['ItemBatcher.MaxItemsPerBatchPath', { ItemBatcher: { MaxItemsPerBatchPath: '$$.Execution.Input.n' } }, '/States/M/ItemBatcher/MaxItemsPerBatchPath'],
    ['ReaderConfig.MaxItemsPath', reader({ MaxItemsPath: '$$.Execution.Input.n' }), '/States/M/ItemReader/ReaderConfig/MaxItemsPath'],
  ])('refuses %s into the Context Object, as AWS does', (_field, fields, location) => {
    const found = errors(distributedMap(fields));
    expect(found).toEqual([expect.objectContaining({ code: 'INVALID_JSON_PATH', location, message: expect.stringContaining('reads the Context Object') })]);
  });

  it('accepts the same fields reading the state input, and ItemsPath reading the Context Object', () => {
    expect(errors(distributedMap({ MaxConcurrencyPath: '$.n', ToleratedFailureCountPath: '$.n', ItemBatcher: { MaxItemsPerBatchPath: '$.n' }, ItemsPath: '$$.Execution.Input.items' }))).toEqual([]);
  });

  it.each(['MaxItemsPerBatchPath', 'MaxInputBytesPerBatchPath'])('refuses ItemBatcher.%s in a JSONata machine, as AWS does', (field) => {
    const found = errors(distributedMap({ ItemBatcher: { [field]: '$.n' } }, 'JSONata'));
    expect(found).toEqual([expect.objectContaining({ code: 'INVALID_QUERY_LANGUAGE', location: `/States/M/ItemBatcher/${field}` })]);
  });
});

describe('terminal and unreachable states, as AWS reports them', () => {
  // Measured with validate-state-machine-definition (floci-io/floci#2735, its evidence comment).
  const codes = (def: unknown) => errors(def).map((f) => `${f.code} ${f.location}`);
  const loop = { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } };

  it('reports a top-level machine with no terminal state alone, not the states nothing leads to', () => {
    expect(codes({ StartAt: 'A', States: { ...loop, Unused: { Type: 'Pass', Next: 'A' } } })).toEqual(['MISSING_END_STATE /States']);
  });

  it('counts a terminal state nothing leads to as terminal, and reports it unreachable', () => {
    expect(codes({ StartAt: 'A', States: { ...loop, C: { Type: 'Pass', End: true } } })).toEqual(['UNREACHABLE_STATE /States/C']);
  });

  it('reports every state unreachable when StartAt names no state', () => {
    expect(codes({ StartAt: 'Nope', States: { A: { Type: 'Pass', End: true } } })).toEqual(['MISSING_TRANSITION_TARGET /StartAt', 'UNREACHABLE_STATE /States/A']);
  });

  it('reports a dangling Next before the missing terminal state', () => {
    expect(codes({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'NOPE' } } })).toEqual(['MISSING_TRANSITION_TARGET /States/A/Next', 'MISSING_END_STATE /States']);
  });
});

describe('a JSONPath state in a JSONata machine', () => {
  it('is reported for that alone, not also for the JSONata fields its own language lacks (floci-io/floci#2968, measured)', () => {
    const def = { QueryLanguage: 'JSONata', StartAt: 'X', States: { X: { Type: 'Pass', QueryLanguage: 'JSONPath', Output: { v: '{% 1 %}' }, End: true } } };
    expect(errors(def).map((f) => `${f.code} ${f.location}`)).toEqual(['INVALID_QUERY_LANGUAGE /States/X/QueryLanguage']);
  });
});

describe('findings keep their public shape', () => {
  it('serialize with only code, severity, location and message (what stepwright validate --json prints)', () => {
    const found = validateDefinition({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Gone', Bogus: 1 } } });
    expect(found.length).toBeGreaterThan(1);
    for (const f of found) expect(Object.keys(JSON.parse(JSON.stringify(f))).sort()).toEqual(['code', 'location', 'message', 'severity']);
  });
});

import { CHOICE_OPERATORS } from '../../../src/asl/choice';
import { validateDefinition } from '../../../src/asl/validate';
import { compileStateMachine, DefinitionError } from '../../../src/interpreter';

/** Operand values of every JSON type, and strings that are and are not timestamps, paths and patterns. */
const OPERANDS: readonly unknown[] = [
  'text', '', 'nope', '2016-08-18T17:33:00Z', '2016-08-18T17:33:00.5+01:00', '2016-13-45T99:00:00Z', '2016-08-18',
  '$.x', '$$.Execution.Id', '$.a[*]', '$.a[?(@.b > 1)]', '$.', 'x', '$var', 'a*b', 'a\\\\*', 'a\\\\', '\\\\x',
  0, 1.5, -3, true, false, null, [], [1], {}, { Variable: '$.x', StringEquals: 'a' },
];
const VARIABLES: readonly unknown[] = ['$.x', '$v', '$.a[*]', 7, undefined];

function machine(rule: Record<string, unknown>): Record<string, unknown> {
  return {
    StartAt: 'C',
    States: { C: { Type: 'Choice', Choices: [{ ...rule, Next: 'S' }], Default: 'S' }, S: { Type: 'Succeed' } },
  };
}

/** Every operator with every operand and variable, plus the same rules nested in Not / And. */
function* ruleVariants(): Generator<Record<string, unknown>> {
  for (const op of CHOICE_OPERATORS) {
    for (const operand of OPERANDS) {
      for (const variable of VARIABLES) {
        const rule: Record<string, unknown> = { [op]: operand };
        if (variable !== undefined) rule.Variable = variable;
        yield rule;
        if (variable === '$.x') {
          yield { Not: rule };
          yield { And: [{ Variable: '$.x', IsPresent: true }, rule] };
        }
      }
    }
  }
}

describe('Validator and compiler agree on Choice rules', () => {
  it('reports, at its location, every Choice rule the compiler refuses, and refuses nothing it accepts', () => {
    let variants = 0;
    let refused = 0;
    const disagreements: string[] = [];
    for (const rule of ruleVariants()) {
      variants++;
      const def = machine(rule);
      const errors = validateDefinition(def as never, { warnings: false }).filter((f) => f.severity === 'error');
      let compileError: DefinitionError | undefined;
      try {
        compileStateMachine(def as never, { validate: false });
      } catch (e) {
        if (!(e instanceof DefinitionError)) throw e;
        compileError = e;
      }
      if (compileError) {
        refused++;
        const located = errors.some((f) => f.location === compileError!.location || compileError!.location.startsWith(`${f.location}/`) || f.location.startsWith(`${compileError!.location}/`));
        if (!located) disagreements.push(`compile refused ${JSON.stringify(rule)} at ${compileError.location}; validator: ${JSON.stringify(errors.map((f) => f.location))}`);
      } else if (errors.length > 0) {
        disagreements.push(`validator refused ${JSON.stringify(rule)} (${errors.map((f) => `${f.location}: ${f.message}`).join('; ')}) but it compiles`);
      }
    }
    expect(disagreements.slice(0, 10)).toEqual([]);
    // The generator reaches both outcomes, in numbers.
    expect(variants).toBeGreaterThan(4000);
    expect(refused).toBeGreaterThan(1000);
    expect(variants - refused).toBeGreaterThan(200);
  });

  it('reports TimestampEquals: "nope" with its location, as compile refuses it', () => {
    const findings = validateDefinition(machine({ Variable: '$.t', TimestampEquals: 'nope' }) as never);
    expect(findings).toContainEqual(expect.objectContaining({ severity: 'error', location: '/States/C/Choices/0/TimestampEquals' }));
  });
});

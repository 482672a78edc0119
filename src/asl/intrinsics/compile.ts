import { StatesError } from '../states-errors';
import { INTRINSIC_FUNCTIONS, describeType, hasType, intrinsicFailure, type CallContext, type ParamSpec } from './functions';
import { isIntrinsicCall } from './names';
import { parseIntrinsic, type CallNode, type IntrinsicNode, type PathNode } from './parser';
import { IntrinsicSyntaxError } from './syntax-error';
import type { JsonValue } from '../definition-types';
import type { PathScope } from '../path';
import { mathRandom } from '../random';

export { IntrinsicSyntaxError, isIntrinsicCall };


type Evaluator = (scope: PathScope) => JsonValue;

/**
 * Compiles an intrinsic function call (`States.Format('{}', $.name)`) once into
 * a function of the scope. The call is parsed, its function names, argument
 * counts and literal argument types are checked here; the returned closure
 * only evaluates. Runtime failures throw a StatesError: `States.Runtime` (as AWS
 * reports a failed intrinsic, INTRINSIC_FAILURE) for arguments a function cannot
 * take, and for a path argument that names nothing.
 * `field`, the `.$` field that holds the call, is named in what the scope is told of a value
 * whose handling on AWS is not recorded (PathScope.unrecorded).
 * @throws IntrinsicSyntaxError when the call does not parse or cannot be valid
 * @example
 * const greet = compileIntrinsic("States.Format('Hello {}', $.name)");
 * greet({ input: { name: 'Ada' }, context: {} }); // 'Hello Ada'
 * @internal
 */
export function compileIntrinsic(expression: string, field?: string): (scope: PathScope) => JsonValue {
  const tree = parseIntrinsic(expression);
  return compileCall(tree, expression, field === undefined ? '' : `field '${field}' `);
}

/**
 * The calls in an intrinsic expression whose literal arguments make every run that reaches them
 * fail with States.Runtime (IntrinsicSpec.doubtCall), each as `'<call>': <reason>`. AWS's answer
 * to such a call at CreateStateMachine is not recorded: it loads, and the validator warns.
 * @throws IntrinsicSyntaxError when the call does not parse
 * @internal
 */
export function literalDoubts(expression: string): string[] {
  const out: string[] = [];
  const walk = (node: IntrinsicNode): void => {
    if (node.kind !== 'call') return;
    const reason = INTRINSIC_FUNCTIONS.get(node.name)?.doubtCall?.(node.args);
    if (reason !== undefined) out.push(`'${node.source}': ${reason}`);
    node.args.forEach(walk);
  };
  walk(parseIntrinsic(expression));
  return out;
}

function compileNode(node: IntrinsicNode, expression: string, where: string): Evaluator {
  switch (node.kind) {
    case 'literal': {
      const value = node.value;
      return () => value;
    }
    case 'path': return compilePathArgument(node, expression);
    case 'call': return compileCall(node, expression, where);
  }
}

function compilePathArgument(node: PathNode, expression: string): Evaluator {
  const path = node.path;
  return (scope) => {
    const value = path.read(scope);
    if (value === undefined) throw argumentNotFound(node.source, expression, scope);
    return value;
  };
}

/**
 * A path argument that names nothing fails the state with States.Runtime, as a
 * `.$` path that names nothing does, rather than passing null along. The cause is
 * worded as AWS words it: the whole expression as written (not the inner call that
 * took the argument), then the path, then the JSON it was looked up in, which AWS
 * calls the input even for a `$$` path into the Context Object.
 */
function argumentNotFound(path: string, expression: string, scope: PathScope): StatesError {
  let where: string;
  if (/^\$[A-Za-z_]/.test(path)) where = 'the variables';
  else where = `the input '${JSON.stringify(path.startsWith('$$') ? scope.context : scope.input)}'`;
  return new StatesError(
    'States.Runtime',
    `The function '${expression}' had the following error: The JsonPath argument for the field '${path}' could not be found in ${where}`,
    { inState: true },
  );
}

function compileCall(call: CallNode, expression: string, where: string): Evaluator {
  const spec = INTRINSIC_FUNCTIONS.get(call.name);
  const fail = (reason: string): never => {
    throw new IntrinsicSyntaxError(expression, `${call.name}: ${reason}`);
  };
  if (!spec) {
    return fail(`unknown function; the intrinsic functions are ${[...INTRINSIC_FUNCTIONS.keys()].join(', ')}`);
  }
  const required = spec.params.filter((p) => !p.optional).length;
  const max = spec.rest ? Infinity : spec.params.length;
  const count = call.args.length;
  if (count < required || count > max) {
    const expected = spec.rest ? `at least ${required}` : required === max ? `${required}` : `${required} to ${max}`;
    fail(`takes ${expected} argument(s), got ${count}`);
  }
  const params: ParamSpec[] = call.args.map((_arg, i) => spec.params[i] ?? spec.rest!);
  call.args.forEach((arg, i) => {
    if (arg.kind === 'literal' && !hasType(arg.value, params[i].type)) {
      fail(`argument ${i + 1} ('${params[i].name}') must be ${typeWords(params[i].type)}, got ${describeType(arg.value)} ${JSON.stringify(arg.value)}`);
    }
  });
  spec.checkCall?.(call.args, fail);

  const args = call.args.map((arg) => compileNode(arg, expression, where));
  // Literals were checked above; only values from paths and nested calls need a check per run.
  const checks = call.args.map((arg, i) => (arg.kind === 'literal' || params[i].type === 'any' ? undefined : params[i]));
  const name = spec.name;
  const run = spec.specialise?.(call.args) ?? spec.run;
  const failAtRun = (reason: string): never => {
    throw intrinsicFailure(name, reason);
  };
  return (scope) => {
    const values: JsonValue[] = new Array(args.length);
    for (let i = 0; i < args.length; i++) {
      const value = args[i](scope);
      const check = checks[i];
      if (check && !hasType(value, check.type)) {
        failAtRun(`argument ${i + 1} ('${check.name}') must be ${typeWords(check.type)}, got ${describeType(value)} ${JSON.stringify(value)}`);
      }
      values[i] = value;
    }
    const ctx: CallContext = {
      random: scope.random ?? mathRandom,
      fail: failAtRun,
      unrecorded: (reason) => scope.unrecorded?.(`${where}calls '${call.source}', ${reason}`),
    };
    return run(values, ctx);
  };
}

function typeWords(type: ParamSpec['type']): string {
  switch (type) {
    case 'any': return 'any value';
    case 'integer': return 'an integer';
    case 'array': return 'an array';
    case 'object': return 'an object';
    default: return `a ${type}`;
  }
}

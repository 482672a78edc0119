import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Annotations, CfnResource, Lazy, Stack, Token, type IAspect, type IResolvable } from 'aws-cdk-lib/core';
import type { Construct, IConstruct } from 'constructs';
import { BuilderValidationError } from './common';

/**
 * Which version of a Lambda function a Task calls:
 * - `'currentVersion'`: `fn.currentVersion`, a version published whenever the
 *   function's code or configuration changes;
 * - a `lambda.IVersion` or `lambda.IAlias` of the function: that one;
 * - `false`: the unqualified function (`$LATEST`), which running executions
 *   also call after a deploy.
 */
export type LambdaPin = 'currentVersion' | lambda.IVersion | lambda.IAlias | false;

/** The pin option shared by the Lambda factories of {@link Task}. */
export interface LambdaPinOption {
  /**
   * Which version of `lambdaFunction` the Task calls. An execution started
   * before a deploy then keeps calling the code it started with, while new
   * executions call the new version. Ignored when `lambdaFunction` already is
   * a version or an alias; a function imported by an unqualified ARN cannot be
   * pinned here and gets a warning.
   * @default 'currentVersion' for a lambda.Function defined in this app
   * @example pin: liveAlias
   */
  readonly pin?: LambdaPin;
}

/**
 * The function a Lambda Task should call, after applying `pin`.
 * @internal
 */
export function pinnedFunction(scope: Construct, id: string, fn: lambda.IFunction, pin: LambdaPin | undefined): lambda.IFunction {
  if (pin === false) return fn;
  if (isQualifiedFunction(fn)) {
    if (pin !== undefined && pin !== 'currentVersion') {
      throw new BuilderValidationError(scope, 'pin',
        `Task '${id}': lambdaFunction '${fn.node.path}' already is a version or alias, so pin cannot choose another; pass the unqualified function with pin, or drop pin`);
    }
    return fn;
  }
  if (pin === undefined || pin === 'currentVersion') {
    // Only a function defined in this app can publish versions; an imported one stays as it is (and is warned about).
    return fn instanceof lambda.Function ? fn.currentVersion : fn;
  }
  const owner = 'aliasName' in pin ? (pin as lambda.IAlias).version.lambda : (pin as lambda.IVersion).lambda;
  if (owner !== fn && owner.functionArn !== fn.functionArn) {
    throw new BuilderValidationError(scope, 'pin',
      `Task '${id}': pin '${pin.node.path}' is a version or alias of '${owner.node.path}', not of lambdaFunction '${fn.node.path}'`);
  }
  return pin;
}

/**
 * True for a version or alias, or an imported ARN with a qualifier other than `$LATEST`.
 * @internal
 */
export function isQualifiedFunction(fn: lambda.IFunction): boolean {
  // An alias (lambda.IAlias) names itself; a version (lambda.IVersion), imported ones too, carries its number.
  if ('aliasName' in fn && typeof fn.aliasName === 'string') return true;
  if ('version' in fn && typeof fn.version === 'string') return fn.version !== '$LATEST';
  const arn = fn.functionArn;
  return !Token.isUnresolved(arn) && arn.split(':').length === 8 && !arn.endsWith(':$LATEST');
}

/** A reference to a Lambda function, in a state machine definition, that names no version or alias. */
export interface UnqualifiedLambdaReference {
  /** How to name it in a message: the construct path, or the ARN as written. */
  readonly label: string;
  /** The function construct, when the function is defined in this stack. */
  readonly function?: lambda.Function;
  /** Logical id of the `AWS::Lambda::Function`, when it is in this stack. */
  readonly logicalId?: string;
  /** True for a `Ref` (the function name) rather than the function ARN. */
  readonly byName?: boolean;
}

// A search for function ARNs written inside a definition's longer strings (its Fn::Join parts),
// not a parse of one Resource: taskResource() takes a whole Resource apart, and finds none here.
// eslint-disable-next-line no-restricted-syntax -- a search through text, not a Resource's parse
const LITERAL_UNQUALIFIED = /arn:aws[a-z-]*:lambda:[a-z0-9-]*:\d{12}:function:[A-Za-z0-9_-]+(?::\$LATEST)?(?![A-Za-z0-9_:$-])/g;

/**
 * Every Lambda function a state machine's definition (or its
 * `DefinitionSubstitutions`) calls without a version or alias: `Fn::GetAtt
 * [Fn, Arn]` and `Ref Fn` of an `AWS::Lambda::Function`, and literal
 * unqualified (or `:$LATEST`) function ARNs. The definition is
 * read as it will be synthesized, so call this at validation time.
 */
export function findUnqualifiedLambdaReferences(machine: CfnResource): UnqualifiedLambdaReference[] {
  const stack = Stack.of(machine);
  const functions = lambdaFunctionsByLogicalId(stack);
  const resolved = stack.resolve(definitionOf(machine));
  const found = new Map<string, UnqualifiedLambdaReference>();
  walk(resolved, (node) => {
    const ref = functionReference(node);
    if (ref !== undefined) {
      const fn = functions.get(ref.logicalId);
      if (fn) {
        const key = `${ref.logicalId}${ref.byName ? ' by name' : ''}`;
        const label = `'${fn.cfn.node.path}'${ref.byName ? ' by name' : ''}`;
        found.set(key, { label, logicalId: ref.logicalId, byName: ref.byName, ...(fn.construct ? { function: fn.construct } : {}) });
      }
      return true;
    }
    if (typeof node === 'string') {
      for (const m of node.matchAll(LITERAL_UNQUALIFIED)) found.set(m[0], { label: `'${m[0]}'` });
    }
    return false;
  });
  return [...found.values()];
}

/** Props of {@link PinLambdaVersions}. */
export interface PinLambdaVersionsProps {
  /**
   * What to do with each unqualified Lambda reference in a state machine definition:
   * - `'rewrite'`: a function defined in the stack is replaced by its
   *   `currentVersion` (the Task's IAM already covers `<function ARN>:*`),
   *   also in Tasks built with `pin: false`; references it cannot rewrite
   *   (imported ARNs, and function names, which may be spliced into an ARN)
   *   get a warning;
   * - `'warn'`: a CDK warning per reference, naming the machine and the function;
   * - `'error'`: `cdk synth` fails, listing them.
   * @default 'warn'
   */
  readonly mode?: 'rewrite' | 'warn' | 'error';
}

/**
 * Finds every state machine under the scope whose definition calls a Lambda
 * function without a version or alias (the reference that makes in-flight
 * executions call new code after a deploy) and, by `mode`, pins it to
 * `currentVersion`, warns, or fails the synth. Works on state machines built
 * with plain aws-cdk-lib too.
 *
 * @example
 * Aspects.of(app).add(new PinLambdaVersions({ mode: 'rewrite' }));
 */
export class PinLambdaVersions implements IAspect {
  private readonly mode: 'rewrite' | 'warn' | 'error';
  private readonly seen = new WeakSet<IConstruct>();

  constructor(props: PinLambdaVersionsProps = {}) {
    this.mode = props.mode ?? 'warn';
  }

  /** Called by the CDK for each construct under the scope the aspect is added to (IAspect). */
  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || node.cfnResourceType !== 'AWS::StepFunctions::StateMachine' || this.seen.has(node)) return;
    this.seen.add(node);
    if (this.mode === 'rewrite') this.rewrite(node);
    node.node.addValidation({ validate: () => this.report(node) });
  }

  private rewrite(machine: CfnResource): void {
    // Only an sfn.CfnStateMachine keeps its definition in fields it renders; a plain CfnResource's stay as given.
    if (!(machine instanceof sfn.CfnStateMachine)) return;
    const stack = Stack.of(machine);
    const targets = new Map<string, lambda.Function>();
    for (const ref of findUnqualifiedLambdaReferences(machine)) {
      // A name may be spliced into an ARN template, so only whole ARNs are rewritten; names stay flagged.
      if (ref.function && ref.logicalId && !ref.byName) targets.set(ref.logicalId, ref.function);
    }
    if (targets.size === 0) return;
    // Creating the versions now, during prepare, lets them be synthesized; the definition is rewritten when resolved.
    const versions = new Map([...targets].map(([id, fn]) => [id, fn.currentVersion] as const));
    const rewritten = (original: unknown): IResolvable => Lazy.any({
      produce: () => replaceFunctionReferences(stack.resolve(original), (logicalId) => {
        const version = versions.get(logicalId);
        return version ? stack.resolve(version.functionArn) : undefined;
      }),
    });
    if (machine.definitionString !== undefined) machine.definitionString = Token.asString(rewritten(machine.definitionString));
    if (machine.definition !== undefined) machine.definition = rewritten(machine.definition);
    if (machine.definitionSubstitutions !== undefined) machine.definitionSubstitutions = rewritten(machine.definitionSubstitutions);
  }

  private report(machine: CfnResource): string[] {
    const refs = findUnqualifiedLambdaReferences(machine);
    const messages = refs.map((ref) => `state machine '${machine.node.path}' calls Lambda ${ref.label} without a version or alias: `
      + 'executions running during a deploy switch to the new code mid-flight. '
      + (ref.function ? 'Use fn.currentVersion (Task.lambdaInvoke does by default) or PinLambdaVersions({ mode: \'rewrite\' }).' : 'Reference a version or alias ARN (…:function:<name>:<version or alias>).'));
    if (this.mode === 'error') return messages;
    for (const message of messages) Annotations.of(machine).addWarningV2('stepwright:pin-lambda-versions', message);
    return [];
  }
}

interface FunctionEntry {
  readonly cfn: CfnResource;
  readonly construct?: lambda.Function;
}

function lambdaFunctionsByLogicalId(stack: Stack): Map<string, FunctionEntry> {
  const out = new Map<string, FunctionEntry>();
  for (const c of stack.node.findAll()) {
    if (CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::Lambda::Function' && Stack.of(c) === stack) {
      const parent = c.node.scope;
      out.set(stack.resolve(c.logicalId) as string, { cfn: c, ...(parent instanceof lambda.Function ? { construct: parent } : {}) });
    }
  }
  return out;
}

/** Where a state machine's definition, and the values substituted into it, live. */
const DEFINITION_PROPERTIES = ['definitionString', 'definition', 'definitionSubstitutions'] as const;

function definitionOf(machine: CfnResource): unknown {
  if (machine instanceof sfn.CfnStateMachine) return DEFINITION_PROPERTIES.map((key) => machine[key]);
  // A plain CfnResource of this type keeps the properties it was given in `_cfnProperties`, a field
  // aws-cdk-lib declares (protected) on every CfnResource: read as data, never written.
  // eslint-disable-next-line no-restricted-syntax -- a protected field of aws-cdk-lib's, with no public accessor
  return (machine as unknown as { _cfnProperties?: unknown })._cfnProperties;
}

/**
 * The logical id in `{ "Fn::GetAtt": [id, "Arn"] }` (the function ARN) or
 * `{ "Ref": id }` (the function name), else undefined.
 */
function functionReference(node: unknown): { logicalId: string; byName: boolean } | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  if (Object.keys(node).length !== 1) return undefined;
  if ('Ref' in node) return typeof node.Ref === 'string' ? { logicalId: node.Ref, byName: true } : undefined;
  if ('Fn::GetAtt' in node) {
    const value = node['Fn::GetAtt'];
    const [id, attr] = Array.isArray(value) ? value : String(value).split('.');
    return attr === 'Arn' && typeof id === 'string' ? { logicalId: id, byName: false } : undefined;
  }
  return undefined;
}

/** Visits every value; `visit` returns true to skip the node's children. */
function walk(value: unknown, visit: (node: unknown) => boolean): void {
  if (visit(value)) return;
  if (Array.isArray(value)) value.forEach((v) => walk(v, visit));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((v) => walk(v, visit));
}

function replaceFunctionReferences(value: unknown, replacement: (logicalId: string) => unknown): unknown {
  const ref = functionReference(value);
  if (ref !== undefined) return ref.byName ? value : replacement(ref.logicalId) ?? value;
  if (Array.isArray(value)) return value.map((v) => replaceFunctionReferences(v, replacement));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceFunctionReferences(v, replacement)]));
  }
  return value;
}

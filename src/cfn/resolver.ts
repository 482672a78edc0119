/**
 * src/cfn/  CloudFormation template values: the one evaluator of intrinsic
 *           functions (`Ref`, `Fn::GetAtt`, `Fn::Sub`, ...) that turns tokens
 *           into stable placeholders shaped like the deployed values
 *           (`arn:aws:lambda:<region>:<account>:function:<Name>`), the
 *           resource-type rules behind them, and the `TemplateError` it
 *           raises. Pure; imports nothing else from src/ and not aws-cdk-lib,
 *           so both constructs/ (the synth-time StateMachineValidator) and
 *           testing/ (the harness, whose setup file must load fast) call it,
 *           and a definition checked at `cdk synth` carries the same
 *           placeholders as the one a test runs and snapshots.
 *
 * It sits beside asl/ at the bottom of the layers (test/layers.test.ts holds
 * it there): it was two copies, one in constructs/ and one in testing/,
 * because neither of those may import the other. There is no index.ts: the
 * resolver is internal and stripped from the published .d.ts, so a barrel
 * re-exporting it would name what the .d.ts no longer declares. (This comment
 * must not carry the internal tag itself: stripInternal would strip the import
 * it sits on from the .d.ts.)
 */
import { parameterRefValue, whyNoValue } from './parameters';
import { itemsOfSplit, jsonTextOf, ResolveBudget } from './resolve-budget';
import type { ResolveOptions } from './resolve-options';
import {
  fallbackRule,
  genericAttribute,
  inlineCodeOf,
  RESOURCE_TYPES,
  ResourceContext,
  ResourceTypeRule,
  stableHex,
  stableUuid,
} from './resource-types';
import { TemplateError } from './template-error';
import type { ResourceRef } from './template-resources';
import { AwsDefaults, awsArn } from '../asl/aws-defaults';
import { setField } from '../asl/json-value';
import { ownValue } from '../asl/own';

export type { InlineCode, LambdaFunctionRef, ResourceRef } from './template-resources';
export type { ResolveOptions } from './resolve-options';

/**
 * {@link ResolveOptions} and what only stepwright's own callers choose: the
 * harness resolves strictly, the synth-time validator with placeholders.
 * @internal
 */
export interface TemplateResolverOptions extends ResolveOptions {
  /**
   * What a value the template cannot tell resolves to: an export of another
   * stack missing from `imports`, a parameter with neither a value nor a
   * `Default` (or one read from SSM), a `Ref` or `Fn::GetAtt` to a resource the
   * template lacks, a condition it does not define, an intrinsic function this
   * resolver does not evaluate.
   *
   * `'error'` throws a {@link TemplateError} naming the value and how to supply
   * it: right for a test, which must not run against a guess. `'placeholder'`
   * gives a stable stand-in instead (`imported-<ExportName>`, the parameter's
   * name, the logical id or `<LogicalId>.<Attribute>`, `true` for the
   * condition, `unresolved-<Function>`): right for a check at `cdk synth`,
   * which must not stop a synth over a value only a deploy can know.
   * @default 'error'
   */
  readonly unresolvable?: 'error' | 'placeholder';
}

/** A CloudFormation template, as far as resolution needs it. @internal */
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Parameters?: Record<string, { Type?: string; Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

/** One resource of a template. @internal */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

/**
 * Where a value is being resolved: the state machine it belongs to (for error
 * messages), its location in the template, and where to record placeholders.
 * @internal
 */
export interface ResolveScope {
  readonly stateMachine?: string;
  readonly location: string;
  /**
   * Evaluate the condition of an `Fn::If` only from what the template tells,
   * even when the resolver stands in placeholders elsewhere: a condition that
   * needs a value the template lacks throws a TemplateError instead of being
   * guessed. For the IAM check, where a guessed branch would attach or drop a
   * policy.
   * @default false
   */
  readonly strictConditions?: boolean;
  /** No placeholders at all in this value (set while evaluating a condition under `strictConditions`). @default false */
  readonly strict?: boolean;
  record(placeholder: string, ref: ResourceRef): void;
}

/** `AWS::NoValue`: removes the property or list element it stands for. */
const NO_VALUE = Symbol('AWS::NoValue');

type Resolved = unknown;

const NO_RECORD = (): void => undefined;

/**
 * Evaluates CloudFormation intrinsic functions against one template, giving
 * every `Ref` and `Fn::GetAtt` a stable placeholder shaped like the real value.
 * @internal
 */
export class TemplateResolver {
  private readonly region: string;
  private readonly account: string;
  private readonly partition: string;
  private readonly urlSuffix: string;
  private readonly stackName: string;
  private readonly resources: Record<string, CfnResource>;
  private readonly identities = new Map<string, { name: string; arn: string | undefined }>();
  private readonly inProgress = new Set<string>();
  private readonly budget = new ResolveBudget();
  private readonly conditions = new Map<string, boolean>();
  /** The conditions being evaluated, each inside the one before it: a name met again is a cycle. */
  private readonly evaluating: string[] = [];
  /** Conditions evaluated without a placeholder: what a strict evaluation may reuse. */
  private readonly strictConditions = new Map<string, boolean>();

  constructor(private readonly template: CfnTemplate, private readonly options: TemplateResolverOptions = {}) {
    this.region = options.region ?? AwsDefaults.REGION;
    this.account = options.account ?? AwsDefaults.ACCOUNT;
    this.partition = options.partition ?? AwsDefaults.PARTITION;
    this.urlSuffix = options.urlSuffix ?? (this.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com');
    this.stackName = options.stackName ?? 'Stack';
    this.resources = template.Resources ?? {};
  }

  /** Resolves any value: intrinsics inside objects and arrays are replaced by what they evaluate to. */
  public resolve(value: unknown, scope: ResolveScope): Resolved {
    this.visit(1, 'resolving', scope);
    if (value === null || typeof value !== 'object') return value;
    const outermost = this.budget.outermost;
    this.budget.enter(scope.stateMachine, scope.location);
    try {
      return this.resolveContainer(value, scope);
    } catch (e) {
      throw (outermost ? this.budget.stackOverflow(e, scope.stateMachine, scope.location) : undefined) ?? e;
    } finally {
      this.budget.leave();
    }
  }

  private resolveContainer(value: object, scope: ResolveScope): Resolved {
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      value.forEach((v, i) => {
        const r = this.resolve(v, at(scope, `[${i}]`));
        if (r !== NO_VALUE) out.push(r);
      });
      return out;
    }
    const keys = Object.keys(value);
    // `{"Condition": ...}` is an intrinsic only inside Fn::And/Or/Not, so a plain
    // object with a "Condition" field (an ASL payload, say) is left alone here.
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      return this.intrinsic(keys[0], (value as Record<string, unknown>)[keys[0]], at(scope, `.${keys[0]}`));
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const r = this.resolve((value as Record<string, unknown>)[key], at(scope, `.${key}`));
      // A field named `__proto__` (a Pass state's Result may hold one) is data, defined, not assigned.
      if (r !== NO_VALUE) setField(out, key, r);
    }
    return out;
  }

  /** Resolves a value that must end up a string (a `DefinitionString`, a `Fn::Join` part). */
  public resolveString(value: unknown, scope: ResolveScope): string {
    return this.asString(this.resolve(value, scope), value, scope);
  }

  /**
   * The values a nested stack resource (`AWS::CloudFormation::Stack`) of this
   * template passes to its child template's parameters, resolved here: what
   * `options.parameters` of the child's resolver should be, so that a token
   * the CDK threads into a nested stack as a parameter gets the placeholder
   * of the resource it names in the parent. A value that cannot be resolved
   * here (a parameter of the parent's own that has no value, say) is left
   * out, so the child's resolver asks for it only where it is used.
   */
  public nestedStackParameters(logicalId: string): Record<string, string | string[]> {
    const raw = ownValue(this.resources, logicalId)?.Properties?.Parameters;
    const out: Record<string, string | string[]> = {};
    if (raw === null || typeof raw !== 'object') return out;
    for (const [name, value] of Object.entries(raw)) {
      const scope = { location: `Resources.${logicalId}.Properties.Parameters.${name}`, record: NO_RECORD };
      try {
        const resolved = this.resolve(value, scope);
        // AWS::NoValue leaves the child parameter to its Default.
        if (resolved === NO_VALUE) continue;
        out[name] = Array.isArray(resolved) ? resolved.map((v) => this.asString(v, value, scope)) : this.asString(resolved, value, scope);
      } catch (e) {
        if (!(e instanceof TemplateError) || this.budget.exhausted) throw e;
      }
    }
    return out;
  }

  private intrinsic(fn: string, arg: unknown, scope: ResolveScope): Resolved {
    switch (fn) {
      case 'Ref': return this.ref(this.argString(fn, arg, scope), scope);
      case 'Fn::GetAtt': return this.getAtt(arg, scope);
      case 'Fn::Join': return this.join(arg, scope);
      case 'Fn::Sub': return this.sub(arg, scope);
      case 'Fn::Select': return this.select(arg, scope);
      case 'Fn::Split': {
        const [delimiter, source] = this.args(fn, arg, 2, scope);
        const text = this.resolveString(source, at(scope, '[1]'));
        const separator = this.asString(delimiter, arg, scope);
        this.visit(itemsOfSplit(text, separator), fn, scope);
        return text.split(separator);
      }
      case 'Fn::If': {
        const [name, whenTrue, whenFalse] = this.args(fn, arg, 3, scope);
        const chosen = this.condition(this.asString(name, arg, scope), scope.strictConditions ? { ...scope, strict: true } : scope);
        return this.resolve(chosen ? whenTrue : whenFalse, at(scope, chosen ? '[1]' : '[2]'));
      }
      case 'Fn::Equals': case 'Fn::And': case 'Fn::Or': case 'Fn::Not':
        return this.evaluateCondition({ [fn]: arg }, scope);
      case 'Fn::FindInMap': return this.findInMap(arg, scope);
      case 'Fn::Base64': {
        const text = this.resolveString(arg, scope);
        return this.build(Math.ceil(Buffer.byteLength(text) / 3) * 4, fn, scope) + Buffer.from(text, 'utf-8').toString('base64');
      }
      case 'Fn::GetAZs': {
        const region = this.resolveString(arg, scope) || this.region;
        return ['a', 'b', 'c'].map((z) => `${region}${z}`);
      }
      case 'Fn::ImportValue': {
        const name = this.resolveString(arg, scope);
        return ownValue(this.options.imports, name) ?? this.unknownValue(`imported-${name}`, 'UNRESOLVABLE_PARAMETER', scope,
          `cannot resolve {"Fn::ImportValue": "${name}"}: the export lives in another stack; pass its value in options.imports['${name}']`);
      }
      case 'Fn::ToJsonString': {
        const text = jsonTextOf(this.resolve(arg, scope));
        return this.build(text?.length ?? Infinity, fn, scope) + (text ?? '');
      }
      case 'Fn::Length': {
        const list = this.resolve(arg, scope);
        if (!Array.isArray(list)) throw this.error('INVALID_INTRINSIC', scope, `Fn::Length needs a list, got ${JSON.stringify(list)}`);
        return list.length;
      }
      default:
        return this.unknownValue(`unresolved-${fn.replace(/^Fn::/, '')}`, 'UNSUPPORTED_INTRINSIC', scope,
          `cannot resolve ${JSON.stringify({ [fn]: arg })}: ${fn} is not supported when extracting state machine definitions`);
    }
  }

  private ref(name: string, scope: ResolveScope): Resolved {
    switch (name) {
      case 'AWS::Region': return this.region;
      case 'AWS::AccountId': return this.account;
      case 'AWS::Partition': return this.partition;
      case 'AWS::URLSuffix': return this.urlSuffix;
      case 'AWS::StackName': return this.stackName;
      case 'AWS::StackId':
        return awsArn(this.partition, 'cloudformation', this.region, this.account, `stack/${this.stackName}/${stableUuid(`stack:${this.stackName}`)}`);
      case 'AWS::NotificationARNs': return [];
      case 'AWS::NoValue': return NO_VALUE;
    }
    const parameter = ownValue(this.template.Parameters, name);
    if (parameter) return this.parameter(name, parameter, scope);
    const resource = ownValue(this.resources, name);
    if (!resource) {
      return this.unknownValue(name, 'UNKNOWN_RESOURCE', scope,
        `cannot resolve {"Ref": "${name}"}: the template has no resource or parameter '${name}'`);
    }
    const { rule, name: physical, arn } = this.identity(name, scope);
    const value = rule.ref(this.context(name, scope), physical, arn);
    scope.record(value, this.refOf(name, 'Ref'));
    return value;
  }

  private getAtt(arg: unknown, scope: ResolveScope): Resolved {
    let logicalId: string;
    let attribute: string;
    if (typeof arg === 'string') {
      // The short string form "Logical.Attr.Sub" splits at the first dot.
      const dot = arg.indexOf('.');
      if (dot < 0) throw this.error('INVALID_INTRINSIC', scope, `Fn::GetAtt needs "LogicalId.Attribute", got ${JSON.stringify(arg)}`);
      logicalId = arg.slice(0, dot);
      attribute = arg.slice(dot + 1);
    } else {
      const [id, attr] = this.args('Fn::GetAtt', arg, 2, scope);
      logicalId = this.asString(id, arg, scope);
      attribute = this.asString(this.resolve(attr, at(scope, '[1]')), arg, scope);
    }
    const resource = ownValue(this.resources, logicalId);
    if (!resource) {
      return this.unknownValue(genericAttribute(logicalId, attribute, logicalId, undefined), 'UNKNOWN_RESOURCE', scope,
        `cannot resolve {"Fn::GetAtt": ["${logicalId}", "${attribute}"]}: the template has no resource '${logicalId}'`);
    }
    const { rule, name, arn } = this.identity(logicalId, scope);
    const ctx = this.context(logicalId, scope);
    const special = ownValue(rule.attributes, attribute);
    const value = special ? special(ctx, name, arn)
      : attribute === 'Arn' && arn !== undefined ? arn
        : genericAttribute(logicalId, attribute, name, arn);
    scope.record(value, this.refOf(logicalId, attribute));
    return value;
  }

  private join(arg: unknown, scope: ResolveScope): string {
    const [delimiter, list] = this.args('Fn::Join', arg, 2, scope);
    const items = this.resolve(list, at(scope, '[1]'));
    if (!Array.isArray(items)) {
      throw this.error('INVALID_INTRINSIC', scope, `Fn::Join needs a list as its second argument, got ${JSON.stringify(list)}`);
    }
    const parts = items.map((item, i) => this.asString(item, Array.isArray(list) ? list[i] : list, at(scope, `[1][${i}]`)));
    const separator = this.asString(delimiter, arg, scope);
    this.build(parts.reduce((n, part) => n + part.length, separator.length * Math.max(0, parts.length - 1)), 'Fn::Join', scope);
    return parts.join(separator);
  }

  private sub(arg: unknown, scope: ResolveScope): string {
    let text: unknown;
    let variables: Record<string, unknown> = {};
    if (Array.isArray(arg)) {
      [text, variables] = this.args('Fn::Sub', arg, 2, scope) as [unknown, Record<string, unknown>];
      if (variables === null || typeof variables !== 'object' || Array.isArray(variables)) {
        throw this.error('INVALID_INTRINSIC', scope, `Fn::Sub needs a variable map as its second argument, got ${JSON.stringify(variables)}`);
      }
    } else {
      text = arg;
    }
    if (typeof text !== 'string') {
      throw this.error('INVALID_INTRINSIC', scope, `Fn::Sub needs a string to substitute into, got ${JSON.stringify(text)}`);
    }
    // Each variable is resolved once, however often the text names it (a variable whose value is a Fn::Sub naming
    // its own ten times would cost 10^n resolutions n deep), and the text counted as it grows, before it is built.
    const values = new Map<string, string>();
    this.build(text.length, 'Fn::Sub', scope);
    // A loop, not String.replace's callback: a variable resolved inside the callback puts the
    // native replace on the stack at each level, and a Fn::Sub nested in its variables a few
    // hundred deep overflowed the stack before the depth bound (1,000 levels) could refuse it.
    let out = '';
    let last = 0;
    for (const m of text.matchAll(/\$\{([^}]*)\}/g)) {
      const value = this.subValue(m[1], variables, values, scope);
      out += text.slice(last, m.index) + this.build(value.length - m[0].length, 'Fn::Sub', scope) + value;
      last = m.index + m[0].length;
    }
    return out + text.slice(last);
  }

  private subValue(inner: string, variables: Record<string, unknown>, values: Map<string, string>, scope: ResolveScope): string {
    // "${!Name}" is the escape for a literal "${Name}".
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    if (Object.prototype.hasOwnProperty.call(variables, name)) {
      if (!values.has(name)) values.set(name, this.resolveString(variables[name], at(scope, `[1].${name}`)));
      return values.get(name)!;
    }
    if (!name.startsWith('AWS::') && name.includes('.')) {
      return this.asString(this.getAtt(name, scope), inner, scope);
    }
    return this.asString(this.ref(name, scope), inner, scope);
  }

  /** Counts `count` more values visited or made by `fn` (ResolveBudget). */
  private visit(count: number, fn: string, scope: ResolveScope): void {
    const problem = this.budget.visit(count, fn);
    if (problem !== undefined) throw this.error('INVALID_INTRINSIC', scope, problem);
  }

  /** Counts `characters` more built by `fn` (ResolveBudget); '' when within the bound. */
  private build(characters: number, fn: string, scope: ResolveScope): string {
    const problem = this.budget.build(characters, fn);
    if (problem !== undefined) throw this.error('INVALID_INTRINSIC', scope, problem);
    return '';
  }

  private select(arg: unknown, scope: ResolveScope): Resolved {
    const [index, list] = this.args('Fn::Select', arg, 2, scope);
    const i = Number(this.resolve(index, at(scope, '[0]')));
    const items = this.resolve(list, at(scope, '[1]'));
    if (!Array.isArray(items) || !Number.isInteger(i) || i < 0 || i >= items.length) {
      throw this.error('INVALID_INTRINSIC', scope,
        `Fn::Select index ${JSON.stringify(index)} is out of range for ${JSON.stringify(items)}`);
    }
    return items[i];
  }

  private findInMap(arg: unknown, scope: ResolveScope): Resolved {
    const [map, top, second] = this.args('Fn::FindInMap', arg, 3, scope).map((a, i) => this.resolveString(a, at(scope, `[${i}]`)));
    const value = ownValue(ownValue(ownValue(this.template.Mappings, map), top), second);
    if (value === undefined) {
      throw this.error('INVALID_INTRINSIC', scope, `Fn::FindInMap found nothing at Mappings.${map}.${top}.${second}`);
    }
    // A copy, counted as it is made: the template's own value would be shared by every place that names it.
    // Its intrinsics are left as written: CloudFormation evaluates none in Mappings.
    return this.copied(value, 'Fn::FindInMap', scope);
  }

  private copied(value: unknown, fn: string, scope: ResolveScope): unknown {
    return this.budget.copy(value, fn, scope.stateMachine, scope.location, (problem) => { throw this.error('INVALID_INTRINSIC', scope, problem); });
  }

  private condition(name: string, scope: ResolveScope): boolean {
    // Without placeholders a value is what the template says; with them, it may be a guess a strict caller must not reuse.
    const strict = scope.strict === true || this.options.unresolvable !== 'placeholder';
    const cached = this.strictConditions.get(name) ?? (strict ? undefined : this.conditions.get(name));
    if (cached !== undefined) return cached;
    const definition = ownValue(this.template.Conditions, name);
    if (definition === undefined) return this.unknownValue(true, 'UNKNOWN_CONDITION', scope, `the template has no condition '${name}'`);
    const cycle = this.evaluating.indexOf(name);
    if (cycle >= 0) {
      // CloudFormation evaluates a condition's own conditions first, so one that leads back to itself has no value.
      const loop = [...this.evaluating.slice(cycle), name].map((c) => `'${c}'`).join(' -> ');
      throw this.error('INVALID_INTRINSIC', scope, `condition '${name}' depends on itself (${loop}): CloudFormation refuses a template whose `
        + 'conditions refer to each other in a circle; make one of them a condition of its own, without {"Condition": ...}');
    }
    this.evaluating.push(name);
    let value: boolean;
    try {
      value = this.evaluateCondition(definition, { ...scope, location: `Conditions.${name}` });
    } finally {
      this.evaluating.pop();
    }
    (strict ? this.strictConditions : this.conditions).set(name, value);
    return value;
  }

  private evaluateCondition(expr: unknown, scope: ResolveScope): boolean {
    // A chain of conditions, or Fn::Not nested in Fn::Not, is bounded as deep as any value (ResolveBudget).
    this.budget.enter(scope.stateMachine, scope.location);
    try {
      return this.evaluateConditionIn(expr, scope);
    } finally {
      this.budget.leave();
    }
  }

  private evaluateConditionIn(expr: unknown, scope: ResolveScope): boolean {
    const [fn] = expr !== null && typeof expr === 'object' ? Object.keys(expr) : [];
    const arg = fn === undefined ? undefined : (expr as Record<string, unknown>)[fn];
    switch (fn) {
      case 'Fn::Equals': {
        const [a, b] = this.args(fn, arg, 2, scope).map((x, i) => this.resolve(x, at(scope, `.${fn}[${i}]`)));
        return JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);
      }
      case 'Fn::And': return this.conditionList(fn, arg, scope).every((x) => x);
      case 'Fn::Or': return this.conditionList(fn, arg, scope).some((x) => x);
      case 'Fn::Not': return !this.conditionList(fn, arg, scope)[0];
      case 'Condition': return this.condition(this.argString(fn, arg, scope), scope);
      default:
        throw this.error('INVALID_INTRINSIC', scope, `not a condition: ${JSON.stringify(expr)}`);
    }
  }

  private conditionList(fn: string, arg: unknown, scope: ResolveScope): boolean[] {
    if (!Array.isArray(arg)) throw this.error('INVALID_INTRINSIC', scope, `${fn} needs a list of conditions, got ${JSON.stringify(arg)}`);
    return arg.map((c, i) => this.evaluateCondition(c, at(scope, `.${fn}[${i}]`)));
  }

  private parameter(name: string, parameter: { Type?: string; Default?: unknown }, scope: ResolveScope): Resolved {
    const value = parameterRefValue(parameter, ownValue(this.options.parameters, name)) ?? this.unknownValue(name, 'UNRESOLVABLE_PARAMETER', scope,
      `cannot resolve {"Ref": "${name}"}: parameter '${name}' ${whyNoValue(parameter)}; pass it in options.parameters['${name}']`);
    if (typeof value === 'string' && (parameter.Type === 'CommaDelimitedList' || parameter.Type?.startsWith('List<'))) {
      this.visit(itemsOfSplit(value, ','), `{"Ref": "${name}"}`, scope);
      return value.split(',');
    }
    // A list given in options, or any Default, is copied: the value is shared by every Ref that names it.
    return this.copied(value, `{"Ref": "${name}"}`, scope);
  }

  /** The physical name and ARN of a resource, computed once per template. */
  private identity(logicalId: string, scope: ResolveScope): { rule: ResourceTypeRule; name: string; arn: string | undefined } {
    const type = this.resources[logicalId].Type;
    const rule = ownValue(RESOURCE_TYPES, type) ?? fallbackRule(type);
    let identity = this.identities.get(logicalId);
    if (!identity) {
      const ctx = this.context(logicalId, scope);
      const name = rule.name(ctx);
      identity = { name, arn: rule.arn?.(ctx, name) };
      this.identities.set(logicalId, identity);
    }
    return { rule, ...identity };
  }

  private context(logicalId: string, scope: ResolveScope): ResourceContext {
    const resource = this.resources[logicalId];
    return {
      logicalId,
      resourceType: resource.Type,
      partition: this.partition,
      region: this.region,
      account: this.account,
      urlSuffix: this.urlSuffix,
      prop: (name) => this.propertyString(logicalId, name, scope),
      value: (name) => this.propertyValue(logicalId, name, scope),
      hex: (length) => stableHex(`${resource.Type}:${logicalId}`, length),
      ordinal: (groupBy) => this.ordinal(logicalId, scope, groupBy),
    };
  }

  /** A resource property as a string, or undefined when it is absent, circular or not a string. */
  private propertyString(logicalId: string, name: string, scope: ResolveScope): string | undefined {
    const raw = this.resources[logicalId].Properties?.[name];
    const key = `${logicalId}.${name}`;
    if (raw === undefined || this.inProgress.has(key)) return undefined;
    this.inProgress.add(key);
    try {
      const value = this.resolve(raw, { stateMachine: scope.stateMachine, location: `Resources.${key}`, record: NO_RECORD });
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
    } catch (e) {
      // A name we cannot work out falls back to the logical id; the definition itself still resolves. A spent
      // budget is not such a name: falling back would go on doing the work the bound is there to stop.
      if (this.budget.exhausted) throw e;
      return undefined;
    } finally {
      this.inProgress.delete(key);
    }
  }

  /**
   * A resource property resolved to any value, or undefined when it is absent,
   * circular or cannot be resolved.
   */
  private propertyValue(logicalId: string, name: string, scope: ResolveScope): unknown {
    const raw = this.resources[logicalId].Properties?.[name];
    const key = `${logicalId}.${name}`;
    if (raw === undefined || this.inProgress.has(key)) return undefined;
    this.inProgress.add(key);
    try {
      return this.resolve(raw, { stateMachine: scope.stateMachine, location: `Resources.${key}`, record: NO_RECORD });
    } catch (e) {
      if (this.budget.exhausted) throw e;
      return undefined;
    } finally {
      this.inProgress.delete(key);
    }
  }

  /**
   * The number of a version resource among the versions of the same function
   * or state machine (the `groupBy` property): its 1-based position in
   * template order, or the number `publishedVersions` gives it.
   */
  private ordinal(logicalId: string, scope: ResolveScope, groupBy = 'FunctionName'): number {
    const type = this.resources[logicalId].Type;
    const group = this.propertyString(logicalId, groupBy, scope);
    const siblings = Object.keys(this.resources)
      .filter((id) => this.resources[id].Type === type && this.propertyString(id, groupBy, scope) === group);
    const published = this.options.publishedVersions;
    return published ? published.numberOf(`${type} ${group}`, siblings, logicalId) : siblings.indexOf(logicalId) + 1;
  }

  private refOf(logicalId: string, attribute: string): ResourceRef {
    const resource = this.resources[logicalId];
    const cdkPath = this.cdkPathOf(logicalId);
    const functionId = this.functionOf(logicalId);
    const inlineCode = inlineCodeOf(this.resources[functionId ?? logicalId]);
    const functionPath = functionId === undefined ? undefined : this.cdkPathOf(functionId);
    return {
      logicalId,
      resourceType: resource.Type,
      ...(cdkPath !== undefined ? { cdkPath } : {}),
      attribute,
      ...(inlineCode ? { inlineCode } : {}),
      ...(functionId !== undefined
        ? { lambdaFunction: { logicalId: functionId, ...(functionPath !== undefined ? { cdkPath: functionPath } : {}) } }
        : {}),
    };
  }

  private cdkPathOf(logicalId: string): string | undefined {
    const path = this.resources[logicalId].Metadata?.['aws:cdk:path'] ?? ownValue(this.options.resourcePaths, logicalId);
    return typeof path === 'string' ? path : undefined;
  }

  /**
   * The `AWS::Lambda::Function` of this template that a Lambda version or
   * alias belongs to: its `FunctionName` is a `Ref` or `Fn::GetAtt` to the
   * function (or to a version of it, for an alias), as the CDK writes it.
   */
  private functionOf(logicalId: string, seen = new Set<string>()): string | undefined {
    const resource = this.resources[logicalId];
    if (resource.Type !== 'AWS::Lambda::Version' && resource.Type !== 'AWS::Lambda::Alias') return undefined;
    if (seen.has(logicalId)) return undefined;
    seen.add(logicalId);
    const name = resource.Properties?.FunctionName as Record<string, unknown> | undefined;
    const ref = name?.Ref ?? (Array.isArray(name?.['Fn::GetAtt']) ? (name['Fn::GetAtt'] as unknown[])[0] : undefined);
    if (typeof ref !== 'string' || !Object.prototype.hasOwnProperty.call(this.resources, ref)) return undefined;
    return this.resources[ref].Type === 'AWS::Lambda::Function' ? ref : this.functionOf(ref, seen);
  }

  private args(fn: string, arg: unknown, count: number, scope: ResolveScope): unknown[] {
    if (!Array.isArray(arg) || arg.length < count) {
      throw this.error('INVALID_INTRINSIC', scope, `${fn} needs a list of ${count} arguments, got ${JSON.stringify(arg)}`);
    }
    return arg;
  }

  private argString(fn: string, arg: unknown, scope: ResolveScope): string {
    if (typeof arg !== 'string') throw this.error('INVALID_INTRINSIC', scope, `${fn} needs a string, got ${JSON.stringify(arg)}`);
    return arg;
  }

  private asString(value: Resolved, source: unknown, scope: ResolveScope): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw this.error('INVALID_INTRINSIC', scope,
      `${JSON.stringify(source)} must resolve to a string here, but resolved to ${value === NO_VALUE ? 'AWS::NoValue' : JSON.stringify(value)}`);
  }

  /**
   * The stand-in for a value the template cannot tell, or, unless the options
   * ask for placeholders, the error naming it and how to supply it.
   */
  private unknownValue<T>(placeholder: T, code: 'UNKNOWN_RESOURCE' | 'UNRESOLVABLE_PARAMETER' | 'UNSUPPORTED_INTRINSIC' | 'UNKNOWN_CONDITION',
    scope: ResolveScope, message: string): T {
    if (this.options.unresolvable === 'placeholder' && scope.strict !== true) return placeholder;
    throw this.error(code, scope, message);
  }

  private error(code: 'UNKNOWN_RESOURCE' | 'UNRESOLVABLE_PARAMETER' | 'UNSUPPORTED_INTRINSIC' | 'INVALID_INTRINSIC' | 'UNKNOWN_CONDITION',
    scope: ResolveScope, message: string): TemplateError {
    const where = scope.stateMachine ? `state machine '${scope.stateMachine}', ${scope.location}` : scope.location;
    return new TemplateError(code, `${where}: ${message}`, { stateMachine: scope.stateMachine, location: scope.location });
  }
}

function at(scope: ResolveScope, suffix: string): ResolveScope {
  return {
    stateMachine: scope.stateMachine,
    location: scope.location + suffix,
    record: scope.record,
    ...(scope.strictConditions ? { strictConditions: true } : {}),
    ...(scope.strict ? { strict: true } : {}),
  };
}

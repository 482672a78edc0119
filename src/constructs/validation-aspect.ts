import { Annotations, CfnResource, Stack, Token, type IAspect } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { substituteText, substituteValue } from '../asl/definition-substitutions';
import type { StateMachineDefinition } from '../asl/types';
import { validateDefinition, type Finding } from '../asl/validate';
import { checkRolePermissions, type PermissionFinding } from '../iam/check';
import { rolePoliciesFromTemplate } from '../iam/template-role';

const STATE_MACHINE_TYPE = 'AWS::StepFunctions::StateMachine';

/**
 * Resources already given the validation, across validator instances, so
 * adding the aspect at two levels reports each finding once; the first one
 * added (the outermost scope, as aspects run top-down) sets the options.
 */
const VALIDATED = new WeakSet<IConstruct>();

/** Props of {@link StateMachineValidator}. */
export interface StateMachineValidatorProps {
  /**
   * Report best-practice findings (a Task without TimeoutSeconds, an
   * unqualified Lambda ARN, a Map without MaxConcurrency over an ItemReader,
   * a Choice without Default) as CDK warnings.
   * @default true
   */
  readonly warnings?: boolean;
  /**
   * How a Task permission the state machine's role lacks is reported: as an
   * error that fails `cdk synth` (`'error'`), as a CDK warning (`'warning'`),
   * or not checked (`'off'`). The role's policies are read from the stack;
   * an imported role, or an answer that hangs on a managed policy defined
   * outside the stack, is not reported.
   * @default 'error'
   */
  readonly permissions?: 'error' | 'warning' | 'off';
}

/**
 * Makes `cdk synth` fail when a state machine definition has errors that AWS
 * would reject at deploy time, naming the state machine, the JSON-pointer
 * location and how to fix it; best-practice findings become CDK warnings.
 *
 * It checks every `AWS::StepFunctions::StateMachine` under the scope it is
 * added to, including those built with plain aws-cdk-lib (`sfn.StateMachine`,
 * `sfn.CfnStateMachine`). The definition is checked as it will be
 * synthesized: CloudFormation tokens (function ARNs, table names, pseudo
 * parameters) are resolved to stable placeholders shaped like the real values,
 * and `DefinitionSubstitutions` are applied.
 *
 * @example
 * const app = new App();
 * Aspects.of(app).add(new StateMachineValidator());
 */
export class StateMachineValidator implements IAspect {
  private readonly warnings: boolean;
  private readonly permissions: 'error' | 'warning' | 'off';

  constructor(props: StateMachineValidatorProps = {}) {
    this.warnings = props.warnings ?? true;
    this.permissions = props.permissions ?? 'error';
  }

  /**
   * Called by the CDK for every construct under the scope the aspect was
   * added to: registers the check of each state machine resource, which runs
   * when the app validates (at synth). Public because `IAspect` needs it:
   * `Aspects.of(app).add(...)` type-checks against the published declarations.
   */
  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || node.cfnResourceType !== STATE_MACHINE_TYPE || VALIDATED.has(node)) return;
    VALIDATED.add(node);
    // Checked at validation time, after every token and lazy value is final.
    node.node.addValidation({ validate: () => this.check(node) });
  }

  private check(resource: CfnResource): string[] {
    const rendered = renderStateMachine(resource);
    if (rendered === undefined) return [];
    const findings = validateDefinition(rendered.definition, { type: rendered.type, warnings: this.warnings });
    const errors: string[] = [];
    for (const f of findings) {
      if (f.severity === 'error') errors.push(describe(f));
      else Annotations.of(resource).addWarningV2(`stepwright:validate:${f.code}`, describe(f));
    }
    if (errors.length === 0 && this.permissions !== 'off') {
      for (const f of this.checkPermissions(resource, rendered.definition)) {
        const text = describePermission(f);
        if (f.severity === 'error' && this.permissions === 'error') errors.push(text);
        else if (f.severity === 'error' || (f.severity === 'warning' && this.warnings)) Annotations.of(resource).addWarningV2(`stepwright:iam:${f.code}`, text);
      }
    }
    return errors;
  }

  /** The permission findings of one state machine, its role read from the stack it is in. */
  private checkPermissions(resource: CfnResource, rendered: unknown): readonly PermissionFinding[] {
    let definition: unknown = rendered;
    if (typeof rendered === 'string') {
      try {
        definition = JSON.parse(rendered);
      } catch {
        return [];
      }
    }
    const stack = Stack.of(resource);
    const renderer = new PlaceholderRenderer(stack);
    const logicalId = stack.resolve(resource.logicalId) as string;
    const { template, unreadable } = stackTemplate(stack);
    if (unreadable.length > 0) {
      Annotations.of(resource).addWarningV2('stepwright:iam:NOT_CHECKED',
        `IAM permissions not checked: ${unreadable.join(', ')} could not be rendered at synth time`);
      return [];
    }
    const role = rolePoliciesFromTemplate(template, { stateMachine: logicalId, resolve: (v) => renderer.value(v) });
    const arn = renderer.text({ Ref: logicalId });
    return checkRolePermissions(definition as StateMachineDefinition, role, { stateMachineArn: arn }).findings;
  }
}

function describePermission(f: PermissionFinding): string {
  return `IAM permissions: ${f.code}${f.location ? ` at ${f.location}` : ''}: ${f.message}${f.fix ? `. Fix: ${f.fix}` : ''}`;
}

/**
 * The stack's resources as they will be synthesized, tokens resolved to
 * CloudFormation functions. Read at validation time, when every lazy value
 * (a role's default policy) is final.
 */
function stackTemplate(stack: Stack): { template: { Resources: Record<string, unknown> }; unreadable: string[] } {
  const resources: Record<string, unknown> = {};
  const unreadable: string[] = [];
  for (const c of stack.node.findAll()) {
    if (!CfnResource.isCfnResource(c) || Stack.of(c) !== stack) continue;
    try {
      // _toCloudFormation is how the Stack itself renders each resource into the template.
      const raw = (c as unknown as { _toCloudFormation(): unknown })._toCloudFormation();
      const rendered = stack.resolve(raw) as { Resources?: Record<string, unknown> };
      Object.assign(resources, rendered.Resources ?? {});
    } catch {
      // Only a role or policy that cannot be read makes the answer unreliable.
      if (c.cfnResourceType.startsWith('AWS::IAM::')) unreadable.push(c.node.path);
    }
  }
  return { template: { Resources: resources }, unreadable };
}

function describe(f: Finding): string {
  return `Step Functions definition: ${f.code} at ${f.location || '/'}: ${f.message}`;
}

/** The definition and type of a state machine resource, with tokens resolved. */
interface RenderedMachine {
  readonly definition: unknown;
  readonly type: 'STANDARD' | 'EXPRESS';
}

/** Reads the definition of a CfnStateMachine (or a raw CfnResource of that type) as it will be deployed. */
function renderStateMachine(resource: CfnResource): RenderedMachine | undefined {
  const stack = Stack.of(resource);
  const props = stack.resolve(propertiesOf(resource)) as Record<string, unknown>;
  const renderer = new PlaceholderRenderer(stack);
  const substitutions = new Map<string, string>();
  const subs = props.DefinitionSubstitutions ?? props.definitionSubstitutions;
  if (subs !== null && typeof subs === 'object') {
    for (const [k, v] of Object.entries(subs)) substitutions.set(k, renderer.text(v));
  }
  const type = renderer.text(props.StateMachineType ?? props.stateMachineType ?? 'STANDARD') === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';
  const definitionString = props.DefinitionString ?? props.definitionString;
  const definitionObject = props.Definition ?? props.definition;
  if (definitionString !== undefined) {
    // The validator reports text that is not JSON as INVALID_JSON_DESCRIPTION.
    return { definition: substituteText(renderer.text(definitionString), substitutions), type };
  }
  if (definitionObject !== undefined) return { definition: substituteValue(renderer.value(definitionObject), substitutions), type };
  // DefinitionS3Location cannot be read at synth time.
  return undefined;
}

/** The resource's properties, typed (CfnStateMachine) or raw (a CfnResource built by hand). */
function propertiesOf(resource: CfnResource): Record<string, unknown> {
  const typed = resource as unknown as Record<string, unknown>;
  if ('definitionString' in typed || 'definition' in typed) {
    return {
      DefinitionString: typed.definitionString,
      Definition: typed.definition,
      DefinitionSubstitutions: typed.definitionSubstitutions,
      StateMachineType: typed.stateMachineType,
    };
  }
  // A plain CfnResource keeps its properties under cfnProperties.
  return ((resource as unknown as { _cfnProperties?: Record<string, unknown> })._cfnProperties) ?? {};
}

/**
 * Replaces the CloudFormation functions left after `Stack.resolve` with stable
 * placeholders shaped like the values they stand for: a Lambda function's
 * `Arn` becomes `arn:aws:lambda:<region>:<account>:function:<LogicalId>`, so
 * the validator's resource checks see what AWS will see.
 */
class PlaceholderRenderer {
  private readonly region: string;
  private readonly account: string;
  private types: Map<string, string> | undefined;

  constructor(private readonly stack: Stack) {
    this.region = Token.isUnresolved(stack.region) ? 'us-east-1' : stack.region;
    this.account = Token.isUnresolved(stack.account) ? '123456789012' : stack.account;
  }

  /** A value rendered to plain JSON. */
  value(v: unknown): unknown {
    if (Array.isArray(v)) return v.map((x) => this.value(x));
    if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return this.fn(keys[0], (v as Record<string, unknown>)[keys[0]]);
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.value(x)]));
    }
    return v;
  }

  /** A value rendered to text, as it appears inside a DefinitionString. */
  text(v: unknown): string {
    const r = this.value(v);
    return typeof r === 'string' ? r : JSON.stringify(r);
  }

  private fn(name: string, arg: unknown): unknown {
    const args = Array.isArray(arg) ? arg : [arg];
    switch (name) {
      case 'Ref': return this.ref(String(arg));
      case 'Fn::GetAtt': {
        const [id, ...attr] = Array.isArray(arg) ? arg.map(String) : String(arg).split('.');
        return this.getAtt(id, attr.join('.'));
      }
      case 'Fn::Join': {
        const parts = this.value(args[1]);
        return Array.isArray(parts) ? parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(String(args[0])) : this.text(parts);
      }
      case 'Fn::Sub': {
        const template = String(args[0]);
        const vars = (args[1] ?? {}) as Record<string, unknown>;
        return template.replace(/\$\{([^}]+)\}/g, (_whole, ref: string) => {
          if (ref.startsWith('!')) return `\${${ref.slice(1)}}`;
          if (Object.prototype.hasOwnProperty.call(vars, ref)) return this.text(vars[ref]);
          const dot = ref.indexOf('.');
          return dot > 0 && !ref.startsWith('AWS::') ? this.text(this.getAtt(ref.slice(0, dot), ref.slice(dot + 1))) : this.text(this.ref(ref));
        });
      }
      case 'Fn::Select': {
        const list = this.value(args[1]);
        return Array.isArray(list) ? list[Number(this.value(args[0]))] ?? '' : list;
      }
      case 'Fn::Split': return this.text(args[1]).split(String(args[0]));
      // Conditions are not evaluated at synth time: take the value used when the condition holds.
      case 'Fn::If': return this.value(args[1]);
      case 'Fn::Base64': return Buffer.from(this.text(args[0])).toString('base64');
      case 'Fn::ImportValue': return `imported-${this.text(args[0])}`;
      case 'Fn::GetAZs': return [`${this.region}a`, `${this.region}b`, `${this.region}c`];
      case 'Fn::ToJsonString': return JSON.stringify(this.value(args[0]));
      default: return `unresolved-${name.replace(/^Fn::/, '')}`;
    }
  }

  private ref(id: string): string {
    switch (id) {
      case 'AWS::Region': return this.region;
      case 'AWS::AccountId': return this.account;
      case 'AWS::Partition': return 'aws';
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return Token.isUnresolved(this.stack.stackName) ? this.stack.node.id : this.stack.stackName;
      case 'AWS::StackId': return `arn:aws:cloudformation:${this.region}:${this.account}:stack/${this.stack.node.id}/placeholder`;
      case 'AWS::NoValue': return '';
      default: break;
    }
    switch (this.typeOf(id)) {
      case 'AWS::StepFunctions::StateMachine': return this.arn('states', `stateMachine:${id}`);
      case 'AWS::StepFunctions::Activity': return this.arn('states', `activity:${id}`);
      case 'AWS::SNS::Topic': return this.arn('sns', id);
      case 'AWS::SQS::Queue': return `https://sqs.${this.region}.amazonaws.com/${this.account}/${id}`;
      case 'AWS::Lambda::Alias': return this.arn('lambda', `function:${id}:alias`);
      case 'AWS::Lambda::Version': return this.arn('lambda', `function:${id}:1`);
      default: return id;
    }
  }

  private getAtt(id: string, attr: string): string {
    const type = this.typeOf(id);
    if (attr !== 'Arn') return `${id}.${attr}`;
    switch (type) {
      case 'AWS::Lambda::Function': return this.arn('lambda', `function:${id}`);
      case 'AWS::StepFunctions::StateMachine': return this.arn('states', `stateMachine:${id}`);
      case 'AWS::StepFunctions::Activity': return this.arn('states', `activity:${id}`);
      case 'AWS::SQS::Queue': return this.arn('sqs', id);
      case 'AWS::SNS::Topic': return this.arn('sns', id);
      case 'AWS::DynamoDB::Table': return this.arn('dynamodb', `table/${id}`);
      case 'AWS::IAM::Role': return `arn:aws:iam::${this.account}:role/${id}`;
      default: {
        const [, service = 'unknown', kind = 'resource'] = (type ?? '').split('::');
        return this.arn(service.toLowerCase(), `${kind.toLowerCase()}/${id}`);
      }
    }
  }

  private arn(service: string, resource: string): string {
    return `arn:aws:${service}:${this.region}:${this.account}:${resource}`;
  }

  private typeOf(logicalId: string): string | undefined {
    if (!this.types) {
      this.types = new Map();
      for (const c of this.stack.node.findAll()) {
        if (CfnResource.isCfnResource(c) && Stack.of(c) === this.stack) this.types.set(this.stack.resolve(c.logicalId) as string, c.cfnResourceType);
      }
    }
    return this.types.get(logicalId);
  }
}

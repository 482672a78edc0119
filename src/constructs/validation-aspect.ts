import { Annotations, CfnResource, type IAspect } from 'aws-cdk-lib/core';
import type { IConstruct } from 'constructs';
import { renderStateMachine, type RenderedMachine } from './rendered-machine';
import type { StateMachineDefinition, Finding } from '../asl';
import { TemplateError } from '../cfn/template-error';
import { checkWithContracts } from '../contracts/validate';
import { checkRolePermissions, type PermissionFinding } from '../iam/check';
import { resourceFactsFromTemplate } from '../iam/template-facts';
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
 * the same ones `Workflow.fromStack` gives the same stack in a test, `Fn::If`
 * follows the stack's conditions, a nested stack's parameters take the values
 * its parent passes, and `DefinitionSubstitutions` are applied.
 * A value only a deploy can tell (an export of another stack, a parameter
 * without a default) gets a stand-in such as `imported-<ExportName>`; a
 * definition holding a malformed intrinsic function is not checked, with a
 * `stepwright:validate:NOT_CHECKED` warning saying why.
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
    let rendered: RenderedMachine | undefined;
    try {
      rendered = renderStateMachine(resource);
    } catch (e) {
      // Only a malformed intrinsic gets here (the resolver gives stand-ins for what a deploy alone knows);
      // CloudFormation has the last word on it, so the synth goes on.
      if (!(e instanceof TemplateError)) throw e;
      Annotations.of(resource).addWarningV2('stepwright:validate:NOT_CHECKED', `Step Functions definition not checked: ${e.message}`);
      return [];
    }
    if (rendered === undefined) return [];
    // Rendered as deployed: its DefinitionSubstitutions made.
    const check = checkWithContracts(rendered.definition, { type: rendered.type, warnings: this.warnings, substituted: true });
    const errors: string[] = [];
    for (const f of check.findings) {
      if (f.severity === 'error') errors.push(describe(f));
      else Annotations.of(resource).addWarningV2(`stepwright:validate:${f.code}`, describe(f));
    }
    if (check.definition !== undefined && this.permissions !== 'off') {
      for (const f of checkPermissions(resource, rendered, check.definition)) {
        const text = describePermission(f);
        if (f.severity === 'error' && this.permissions === 'error') errors.push(text);
        else if (f.severity === 'error' || (f.severity === 'warning' && this.warnings)) Annotations.of(resource).addWarningV2(`stepwright:iam:${f.code}`, text);
      }
    }
    return errors;
  }
}

/** The permission findings of one state machine, its role read from the stack it is in. */
function checkPermissions(resource: CfnResource, rendered: RenderedMachine, definition: StateMachineDefinition): readonly PermissionFinding[] {
  if (rendered.unreadable.length > 0) {
    Annotations.of(resource).addWarningV2('stepwright:iam:NOT_CHECKED',
      `IAM permissions not checked: ${rendered.unreadable.join(', ')} could not be rendered at synth time`);
    return [];
  }
  const role = rolePoliciesFromTemplate(rendered.template, { stateMachine: rendered.logicalId, resolve: rendered.resolve });
  const facts = resourceFactsFromTemplate(rendered.template, {
    stateMachine: rendered.logicalId, resolve: rendered.resolve, ...(role.roleArn ? { roleArn: role.roleArn } : {}),
  });
  return checkRolePermissions(definition, role, { stateMachineArn: rendered.arn, facts }).findings;
}

function describePermission(f: PermissionFinding): string {
  return `IAM permissions: ${f.code}${f.location ? ` at ${f.location}` : ''}: ${f.message}${f.fix ? `. Fix: ${f.fix}` : ''}`;
}

function describe(f: Finding): string {
  return `Step Functions definition: ${f.code} at ${f.location || '/'}: ${f.message}`;
}

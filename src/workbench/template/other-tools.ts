import type { JsonObject, JsonValue } from '../../asl';
import { ownValue as own } from '../../asl/own';
import type { CfnResource, CfnTemplate } from '../../cfn';
import { TemplateError } from '../../cfn';

/**
 * What another tool's files hold, read as the CloudFormation template the loaders take.
 *
 * - Terraform's JSON (`terraform show -json`, of a saved plan or of the state after apply): each
 *   `aws_sfn_state_machine` becomes an `AWS::StepFunctions::StateMachine` whose logical id is the
 *   resource's address and whose `DefinitionString` is the `definition` Terraform sends to
 *   CreateStateMachine, already interpolated (`jsonencode(...)`, `templatefile(...)`); its `name`,
 *   `type`, `role_arn`, `logging_configuration` and `tracing_configuration` become the properties
 *   of the same names (registry page of the resource, hashicorp/aws provider).
 * - A Serverless Framework service file (`serverless.yml`: `service` and `provider`) is refused
 *   with what to give instead: the template `serverless package` compiles from it, where the
 *   serverless-step-functions plugin has put each state machine.
 *
 * Anything else is returned as it came.
 * @internal
 */
export function asCloudFormation(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as JsonObject;
  if (['Resources', 'States', 'AWSTemplateFormatVersion'].some((key) => Object.hasOwn(record, key))) return value;
  if (typeof own(record, 'format_version') === 'string' && (isObject(own(record, 'planned_values')) || isObject(own(record, 'values')))) {
    return terraformTemplate(record);
  }
  if (own(record, 'service') !== undefined && isObject(own(record, 'provider'))) {
    throw new TemplateError('NOT_A_TEMPLATE', 'this is a Serverless Framework service file, not a CloudFormation template: '
      + "run 'serverless package' and give the template it compiles, .serverless/cloudformation-template-update-stack.json, "
      + 'which holds each state machine of the serverless-step-functions plugin with its Lambda functions and role');
  }
  return value;
}

const STATE_MACHINE = 'aws_sfn_state_machine';

/** One resource of a Terraform module in `terraform show -json`. */
interface TerraformResource {
  readonly address: string;
  readonly values: JsonObject;
}

function terraformTemplate(json: JsonObject): CfnTemplate {
  const planned = isObject(own(json, 'planned_values'));
  const root = own((planned ? own(json, 'planned_values') : own(json, 'values')) as JsonObject, 'root_module');
  const resources: Record<string, CfnResource> = {};
  for (const machine of moduleResources(root)) resources[machine.address] = stateMachineResource(machine, json);
  return { Resources: resources };
}

/** The managed `aws_sfn_state_machine` resources of a module and of the modules it calls. */
function moduleResources(module: JsonValue | undefined): TerraformResource[] {
  if (!isObject(module)) return [];
  const out: TerraformResource[] = [];
  const resources = own(module, 'resources');
  for (const r of Array.isArray(resources) ? resources : []) {
    if (!isObject(r) || own(r, 'type') !== STATE_MACHINE || (own(r, 'mode') ?? 'managed') !== 'managed') continue;
    const address = own(r, 'address');
    if (typeof address !== 'string') continue;
    const values = own(r, 'values');
    out.push({ address, values: isObject(values) ? values : {} });
  }
  const children = own(module, 'child_modules');
  for (const child of Array.isArray(children) ? children : []) out.push(...moduleResources(child));
  return out;
}

function stateMachineResource(machine: TerraformResource, json: JsonObject): CfnResource {
  const v = machine.values;
  const definition = own(v, 'definition');
  if (typeof definition !== 'string') {
    const unknown = afterUnknown(json, machine.address);
    throw new TemplateError('MISSING_DEFINITION', unknown
      ? `${machine.address}: the plan does not know its definition before apply (it reads values Terraform computes then, such as the ARN `
        + 'of a function created in the same plan); give the JSON of the state after apply (terraform show -json), or the definition itself'
      : `${machine.address}: no definition in its values`, { stateMachine: machine.address });
  }
  const props: JsonObject = { DefinitionString: definition };
  const name = own(v, 'name');
  if (typeof name === 'string' && name !== '') props.StateMachineName = name;
  const type = own(v, 'type');
  if (typeof type === 'string' && type !== '') props.StateMachineType = type.toUpperCase();
  const role = own(v, 'role_arn');
  if (typeof role === 'string' && role !== '') props.RoleArn = role;
  const logging = firstBlock(own(v, 'logging_configuration'));
  if (logging !== undefined) {
    const level = own(logging, 'level');
    const data = own(logging, 'include_execution_data');
    const destination = own(logging, 'log_destination');
    props.LoggingConfiguration = {
      ...(typeof level === 'string' ? { Level: level } : {}),
      ...(typeof data === 'boolean' ? { IncludeExecutionData: data } : {}),
      ...(typeof destination === 'string' && destination !== '' ? { Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: destination } }] } : {}),
    };
  }
  const tracing = firstBlock(own(v, 'tracing_configuration'));
  const enabled = tracing === undefined ? undefined : own(tracing, 'enabled');
  if (typeof enabled === 'boolean') props.TracingConfiguration = { Enabled: enabled };
  return { Type: 'AWS::StepFunctions::StateMachine', Properties: props };
}

/** A nested block of Terraform's JSON: a list of at most one object. */
function firstBlock(value: JsonValue | undefined): JsonObject | undefined {
  const first = Array.isArray(value) ? value[0] : undefined;
  return isObject(first) ? first : undefined;
}

/** True when a plan's change to `address` leaves its definition unknown until apply. */
function afterUnknown(json: JsonObject, address: string): boolean {
  const changes = own(json, 'resource_changes');
  for (const c of Array.isArray(changes) ? changes : []) {
    if (!isObject(c) || own(c, 'address') !== address) continue;
    const change = own(c, 'change');
    const unknown = isObject(change) ? own(change, 'after_unknown') : undefined;
    return isObject(unknown) && own(unknown, 'definition') === true;
  }
  return false;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

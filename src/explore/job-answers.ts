import { NOTHING, type AbstractValue } from './abstract-values';
import { answerShapeAt } from './contract-answers';
import type { FlowEnd } from './report-types';
import type { JsonValue } from '../asl';
import { failRulesOf, refusedValues, statelessJob, unendedStatus } from '../asl/answer-outcomes';
import { AwsDefaults, awsArn } from '../asl/aws-defaults';
import type { CatalogueRunning } from '../asl/integrations';
import { StatesErrors } from '../asl/states-errors';

/*
 * What a Run a Job (`.sync`) Task's answer can be on a run that goes on, for the flow proofs
 * (flow-proofs.ts). Step Functions answers such a Task once the job has ended, with the job as
 * the service describes it, its state and all (answer-outcomes.ts: `UnendedStatus`,
 * `StatelessJob`): the job's state is one of those the service's model lists, less those it
 * holds before it ends (the catalogue's `running`) and those that fail the Task (the rule's
 * test). Where the catalogue names the API whose model lists the states (`running.described`),
 * what is left is known exactly: a child execution that let the Task go on SUCCEEDED.
 */

/** The states the model of the API that describes a job lists for it, at the path it holds them (none when the model gives no list). */
function listedStates(described: NonNullable<CatalogueRunning['described']>): readonly string[] | undefined {
  const resource = awsArn(AwsDefaults.PARTITION, 'states', '', '', `aws-sdk:${described.api[0]}:${described.api[1]}`);
  // A list's item by its index (`Jobs.0.Status` of Batch's DescribeJobs).
  const shape = answerShapeAt(resource, described.at.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)));
  return shape?.type === 'string' && shape.enum && shape.enum.length > 0 ? shape.enum : undefined;
}

/**
 * The answer of a `.sync` Task whose job's state the catalogue can bound, with the ends of the
 * answers left out pushed to `ends`; undefined where it cannot (anything, then).
 */
export function jobAnswer(state: string, resource: string, ends: FlowEnd[]): AbstractValue | undefined {
  for (const rule of failRulesOf(resource)) {
    const described = rule.running?.described;
    if (described === undefined || !('oneOf' in rule.test) || !('taskFailed' in rule.error) || rule.at.length !== 1 || rule.at[0].includes('*')) continue;
    const [service, action] = described.api;
    const listed = listedStates(described);
    if (listed === undefined) continue;
    const failing = rule.test.oneOf;
    const running = rule.running!.oneOf;
    const left = listed.filter((s) => !failing.includes(s) && !running.includes(s));
    const at = rule.at[0];
    ends.push({
      state,
      field: `.${at}`,
      when: `'${state}' answers .${at} ${refusedValues(rule.test)} (its job ended so; a .sync Task answers only once the job has ended, `
        + `never with ${running.join(' or ')}, the states ${service}:${action} lists before the end)`,
      error: StatesErrors.TASK_FAILED,
    });
    const status: AbstractValue = left.length > 0 ? { ...NOTHING, str: { only: left } } : NOTHING;
    return at.split('.').reverse().reduce<AbstractValue>((inner, name) => ({ ...NOTHING, obj: { fields: new Map([[name, inner]]) } }), status);
  }
  return undefined;
}

/**
 * The job state a `.sync` answer holds that the model of the API describing the job does not list
 * (`"SUCCEEDEDx"` where a child execution's Status is read): no answer AWS gives. Undefined when
 * it holds a listed one, or the catalogue names no such API.
 */
function unlistedJobState(resource: string, answer: JsonValue): { read: string; value: JsonValue; listed: readonly string[] } | undefined {
  for (const rule of failRulesOf(resource)) {
    const described = rule.running?.described;
    if (described === undefined || rule.at.length !== 1 || rule.at[0].includes('*')) continue;
    const listed = listedStates(described);
    if (listed === undefined) continue;
    const value = rule.at[0].split('.').reduce<JsonValue | undefined>((v, k) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v[k] : undefined), answer);
    if (value !== undefined && value !== null && !(typeof value === 'string' && listed.includes(value))) return { read: rule.at[0], value, listed };
  }
  return undefined;
}

/**
 * Why explore cannot give a `.sync` Task an answer, when AWS never gives it: a state its job holds
 * before it ends (RUNNING), no state where the Task reads it, or a state the service does not list.
 */
export function jobAnswerRefusal(state: string, resource: string, value: JsonValue): string | undefined {
  const unended = unendedStatus(resource, value);
  if (unended) {
    return `it needs Task '${state}' to answer ${unended.read} = ${JSON.stringify(unended.value)}, a state its job holds before it ends, and a .sync Task `
      + `answers only once the job has ended${unended.failing.length > 0 ? ` (${unended.failing.join(', ')} fail the Task)` : ''}`;
  }
  const stateless = statelessJob(resource, value);
  if (stateless) {
    return `it needs Task '${state}' to answer no job state at ${stateless.read.join(' or ')}, and a .sync Task answers only once the job has ended, `
      + `with its state${stateless.failing.length > 0 ? ` (${stateless.failing.join(', ')} fail the Task)` : ''}`;
  }
  const unlisted = unlistedJobState(resource, value);
  if (unlisted) {
    return `it needs Task '${state}' to answer .${unlisted.read} = ${JSON.stringify(unlisted.value)}, which is none of the job states `
      + `the service lists (${unlisted.listed.join(', ')})`;
  }
  return undefined;
}

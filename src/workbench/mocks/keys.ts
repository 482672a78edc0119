import type { IConstruct } from 'constructs';
import type { JsonValue, StateMachineDefinition } from '../../asl';
import { allStates } from '../../asl/state-tree';
import { isLambdaInvoke, taskResource } from '../../asl/task-resource';
import { cdkLib } from '../common/cdk-lib';
import type { ResourceRef } from '../template';
import { lambdaMatch, refersTo, targetScore, unqualifiedFunctionArn } from './targets';

/** @internal */
export { refersTo } from './targets';

/** A mock key: a state name, a resource ARN, or a CDK construct. */
export type MockKey = string | IConstruct;

/** Mocks by key: an object keyed by state name or ARN, or a Map / list of pairs whose keys may be constructs. */
export type MockTable<M> = Readonly<Record<string, M>> | ReadonlyMap<MockKey, M> | ReadonlyArray<readonly [MockKey, M]>;

/** A mock key that matches no Task state and no resource of the workflow. */
export class MockKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MockKeyError';
  }
}

/** A Task (or a Map with an ItemReader / ResultWriter) that a mock can answer. @internal */
export interface MockableState {
  readonly name: string;
  readonly type: string;
  readonly resource: string;
  /** Every string of its Parameters / Arguments (FunctionName, StateMachineArn, TableName, ...). */
  readonly strings: readonly string[];
  /** The Lambda function it calls, as written: a function ARN `Resource`, or a `lambda:invoke` FunctionName. */
  readonly lambdaTargets: readonly string[];
}

/** mockableStates of each definition read: every run resolves its mocks against them. */
const mockableOf = new WeakMap<StateMachineDefinition, readonly MockableState[]>();

/** The states mocks can answer, found once per definition (a definition is not changed once loaded). @internal */
export function mockableStates(definition: StateMachineDefinition): readonly MockableState[] {
  let found = mockableOf.get(definition);
  if (!found) mockableOf.set(definition, found = findMockable(definition));
  return found;
}

function findMockable(definition: StateMachineDefinition): MockableState[] {
  const out: MockableState[] = [];
  for (const [name, state] of allStates(definition)) {
    const type = String(state.Type);
    if (state.Type === 'Task') {
      const resource = String(state.Resource);
      const fields = [state.Parameters, state.Arguments];
      out.push({ name, type, resource, strings: stringsOf(fields), lambdaTargets: lambdaTargetsOf(resource, fields) });
    } else if (state.Type === 'Map') {
      for (const part of ['ItemReader', 'ResultWriter'] as const) {
        const p = state[part];
        if (p?.Resource) out.push({ name, type, resource: p.Resource, strings: stringsOf([p.Parameters, p.Arguments]), lambdaTargets: [] });
      }
    }
  }
  return out;
}

function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => stringsOf(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => stringsOf(v, out));
  return out;
}


/** The function a Lambda Task calls: its function ARN `Resource`, or the `FunctionName` of a `lambda:invoke`. */
function lambdaTargetsOf(resource: string, fields: readonly (JsonValue | undefined)[]): string[] {
  const parsed = taskResource(resource);
  if (parsed.kind === 'lambda-arn') return [resource];
  if (!isLambdaInvoke(parsed)) return [];
  return fields.map((f) => (f && typeof f === 'object' && !Array.isArray(f) ? f.FunctionName : undefined))
    .filter((v): v is string => typeof v === 'string');
}


/** How one key matched: by state name, or by a resource it names (the specificity decides ties). @internal */
export interface KeyMatch<M> {
  readonly label: string;
  readonly mock: M;
  /** Placeholders or ARNs the key stands for, matched at call time against FunctionName / StateMachineArn. */
  readonly arns: readonly string[];
}

/** The mocks of one run, resolved against a workflow: what answers each state. @internal */
export interface ResolvedMocks<M> {
  readonly byState: Map<string, KeyMatch<M>>;
  /** Keys that name resources, for Tasks whose target is only known at run time (`FunctionName.$`). */
  readonly byArn: Array<KeyMatch<M>>;
}

/** A construct's label for messages. */
function labelOf(key: MockKey): string {
  return typeof key === 'string' ? `'${key}'` : `construct '${key.node.path}'`;
}

/** The entries of a mock table, in order. @internal */
export function entriesOf<M>(table: MockTable<M> | undefined): Array<readonly [MockKey, M]> {
  if (table === undefined) return [];
  if (table === null || typeof table !== 'object') {
    throw new MockKeyError(`mocks must be an object keyed by state name, construct or resource ARN, a Map, or an array of [key, mock] pairs; got ${table === null ? 'null' : typeof table}`);
  }
  if (table instanceof Map) return [...table.entries()];
  if (Array.isArray(table)) {
    return (table as ReadonlyArray<readonly [MockKey, M]>).map((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) throw new MockKeyError(`mocks[${i}] must be a [key, mock] pair, got ${JSON.stringify(pair)}`);
      return pair;
    });
  }
  return Object.entries(table as Record<string, M>);
}

/**
 * Placeholders in `resources` that belong to the construct (its path, or its
 * default child's logical id). For a Lambda function, a version or alias of it
 * stands for the function itself (its unqualified ARN), so that a key naming
 * the version or alias is the more specific one.
 */
function placeholdersOf(construct: IConstruct, resources: ReadonlyMap<string, ResourceRef>): string[] {
  const path = construct.node.path;
  let logicalId: string | undefined;
  const child = construct.node.defaultChild ?? construct;
  const { CfnElement, Stack } = cdkLib();
  if (CfnElement.isCfnElement(child)) {
    try {
      logicalId = Stack.of(child).resolve(child.logicalId) as string;
    } catch {
      logicalId = undefined;
    }
  }
  const out: string[] = [];
  for (const [placeholder, ref] of resources) {
    const fn = ref.lambdaFunction;
    if (logicalId !== undefined && fn?.logicalId === logicalId) {
      out.push(unqualifiedFunctionArn(placeholder));
      continue;
    }
    const byPath = ref.cdkPath !== undefined && (ref.cdkPath === path || ref.cdkPath.startsWith(`${path}/`));
    if (byPath || (logicalId !== undefined && ref.logicalId === logicalId)) out.push(placeholder);
  }
  return [...new Set(out)];
}

/**
 * Resolves mock keys to the states they answer. A key is a state name, a
 * resource ARN (or placeholder) or a construct. A key that matches nothing is
 * an error listing what is there, so a typo never silently mocks nothing;
 * `hints` say why a known name is not there (a Saga left its state out).
 * @internal
 */
export function resolveMocks<M>(
  table: MockTable<M> | undefined,
  definition: StateMachineDefinition,
  resources: ReadonlyMap<string, ResourceRef>,
  workflowName: string,
  extraArns: (key: MockKey) => string[] = () => [],
  hints: ReadonlyMap<string, string> = new Map(),
): ResolvedMocks<M> {
  const mockable = mockableStates(definition);
  const mockableNames = new Set(mockable.map((s) => s.name));
  let states: ReturnType<typeof allStates> | undefined;
  const byState = new Map<string, KeyMatch<M>>();
  const scored = new Map<string, Array<{ match: KeyMatch<M>; score: number }>>();
  const byArn: Array<KeyMatch<M>> = [];
  for (const [key, mock] of entriesOf(table)) {
    const label = labelOf(key);
    if (typeof key === 'string' && mockableNames.has(key)) {
      byState.set(key, { label, mock, arns: [] });
      continue;
    }
    states ??= allStates(definition);
    if (typeof key === 'string' && states.has(key)) {
      throw new MockKeyError(`mock key '${key}' names a ${String(states.get(key)!.Type)} state of workflow '${workflowName}'; only Task states (and Map states with an ItemReader or ResultWriter) can be mocked. Task states: ${list(mockable.map((s) => s.name))}`);
    }
    let arns: string[];
    if (typeof key === 'string') arns = [key];
    else if (key && typeof key === 'object' && 'node' in key) arns = [...placeholdersOf(key, resources), ...extraArns(key)];
    else throw new MockKeyError(`mock key must be a state name, a resource ARN or a construct, got ${typeof key}`);
    const match: KeyMatch<M> = { label, mock, arns };
    let matched = false;
    for (const state of mockable) {
      let score = 0;
      for (const arn of arns) {
        for (const t of state.lambdaTargets) score = Math.max(score, targetScore(t, arn, true));
        for (const v of state.strings) score = Math.max(score, targetScore(v, arn, false));
        // A key naming a service integration (arn:aws:states:::sqs:sendMessage) yields to one naming what it calls.
        if (state.resource === arn) score = Math.max(score, arn.startsWith('arn:aws:states:::') ? 1 : 3);
        else if (refersTo(state.resource, arn)) score = Math.max(score, 2);
      }
      if (score > 0) {
        matched = true;
        const list2 = scored.get(state.name) ?? [];
        list2.push({ match, score });
        scored.set(state.name, list2);
      }
    }
    // A key naming a known resource may target a Task whose FunctionName is only known at run time.
    const known = arns.some((a) => resources.has(a) || [...resources.keys()].some((p) => refersTo(a, p) || lambdaMatch(p, a) !== undefined));
    if (!matched && !known) {
      const hint = typeof key === 'string' ? hints.get(key) : undefined;
      throw new MockKeyError(`mock key ${label} matches no Task state and no resource of workflow '${workflowName}'.\n` +
        (hint !== undefined ? `${hint}\n` : '') +
        `Task states: ${list(mockable.map((s) => s.name))}\nResources: ${describeResources(resources)}`);
    }
    byArn.push(match);
  }
  for (const [state, candidates] of scored) {
    if (byState.has(state)) continue;
    const best = Math.max(...candidates.map((c) => c.score));
    const top = candidates.filter((c) => c.score === best);
    if (top.length > 1) {
      throw new MockKeyError(`Task '${state}' is matched by several mock keys: ${top.map((c) => c.match.label).join(', ')}; key it by state name to choose`);
    }
    byState.set(state, top[0].match);
  }
  return { byState, byArn };
}

/** A readable list of the workflow's resources. @internal */
export function describeResources(resources: ReadonlyMap<string, ResourceRef>): string {
  if (resources.size === 0) return 'none';
  return [...resources].map(([p, r]) => `\n  ${p} (${r.logicalId}, ${r.resourceType}${r.cdkPath ? `, ${r.cdkPath}` : ''})`).join('');
}

function list(names: string[]): string {
  return names.length ? names.join(', ') : 'none';
}

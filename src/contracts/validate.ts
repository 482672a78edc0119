/**
 * The findings of the service contracts on a whole definition, in the
 * validator's terms (asl/validate's Finding): each Task's request against its
 * Resource's contract, each Retry and Catch error name against the errors the
 * Resource can raise, and where a `.waitForTaskToken` task must pass its token.
 *
 * Only a top-level field with a literal value that an optimized integration
 * does not support is an error: AWS refuses it when the state machine is
 * created. Everything else is refused, if at all, only when the Task runs (an
 * AWS SDK call's unknown member, an optimized field whose value is a path, a
 * missing required member, a wrong literal type), so it is a warning: the run
 * then fails as AWS fails it (workbench/mocks/request-check.ts).
 */
import { checkRequest, type ContractFinding } from './check';
import { closestErrors, contractOf, mayRaise } from './contract';
import type { JsonValue, QueryLanguage, TaskState } from '../asl';
import { heartbeatLapseError } from '../asl/error-rules';
import { isJsonObject } from '../asl/json-value';
import { escapePointerSegment } from '../asl/pointer';
import { forEachState, isWalkable, statePointer } from '../asl/state-tree';
import { isStatesErrorName, StatesErrors } from '../asl/states-errors';
import { checkDefinition, ValidationCodes as C, type DefinitionCheck, type Finding, type ValidateOptions } from '../asl/validate';


/** Bound on the Tasks judged in one definition: a hostile one may hold very many. */
const MAX_TASKS = 5_000;

/**
 * The contracts' findings on a definition (parsed). Never throws; a
 * definition that is not well formed is judged as far as it goes.
 */
export function contractFindings(definition: unknown, options: { readonly warnings?: boolean } = {}): Finding[] {
  if (!isWalkable(definition) || Array.isArray(definition.States)) return [];
  const warnings = options.warnings ?? true;
  const top = definition.QueryLanguage === 'JSONata' ? 'JSONata' : 'JSONPath';
  const out: Finding[] = [];
  let tasks = 0;
  forEachState(definition, (name, state, scope) => {
    if (state.Type !== 'Task' || tasks >= MAX_TASKS) return;
    // A user's file may hold anything: each field is checked before it is read as its type.
    const resource: unknown = state.Resource;
    if (typeof resource !== 'string') return;
    tasks++;
    const own = state.QueryLanguage === 'JSONata' || state.QueryLanguage === 'JSONPath' ? state.QueryLanguage : undefined;
    const machineLanguage = scope.machine.QueryLanguage === 'JSONata' ? 'JSONata' : top;
    // A state with Arguments and no Parameters is written in JSONata whatever it declares.
    const language = own ?? (state.Arguments !== undefined && state.Parameters === undefined ? 'JSONata' : machineLanguage);
    const field = language === 'JSONata' ? 'Arguments' : 'Parameters';
    const at = statePointer(scope, name);
    taskFindings(name, state, resource, language, field, at, warnings, out);
  });
  return out;
}

function taskFindings(
  name: string, state: TaskState, resource: string, language: QueryLanguage, field: 'Arguments' | 'Parameters', at: string, warnings: boolean, out: Finding[],
): void {
  const contract = contractOf(resource);
  const payload = state[field];
  // A JSONata state's Arguments may be one expression: nothing is known before the run.
  if (typeof payload === 'string') return;
  for (const f of checkRequest(resource, payload as never, { language, field })) {
    const finding = requestFinding(name, contract.kind, f, at, field);
    if (finding.severity === 'error' || warnings) out.push(finding);
  }
  if (!warnings) return;
  for (const key of ['Retry', 'Catch'] as const) {
    const rules: unknown = state[key];
    if (!Array.isArray(rules)) continue;
    rules.forEach((rule, i) => {
      if (rule === null || typeof rule !== 'object' || !('ErrorEquals' in rule) || !Array.isArray(rule.ErrorEquals)) return;
      rule.ErrorEquals.forEach((errorName: unknown, j: number) => {
        if (errorName === StatesErrors.HEARTBEAT_TIMEOUT && heartbeatLapseError(resource) === StatesErrors.TIMEOUT) {
          out.push({
            code: C.ERROR_NEVER_RAISED,
            severity: 'warning',
            location: `${at}/${key}/${i}/ErrorEquals/${j}`,
            message: `${key} of Task '${name}' names '${errorName}', which a callback or .sync Task never raises: when its heartbeats stop it fails `
              + `with '${StatesErrors.TIMEOUT}', so this never matches; name '${StatesErrors.TIMEOUT}' to ${key === 'Retry' ? 'retry' : 'catch'} a lost heartbeat`,
          });
          return;
        }
        if (typeof errorName !== 'string' || isStatesErrorName(errorName) || mayRaise(contract.errors, errorName)) return;
        const closest = closestErrors(errorName, resource);
        out.push({
          code: C.ERROR_NEVER_RAISED,
          severity: 'warning',
          location: `${at}/${key}/${i}/ErrorEquals/${j}`,
          message: `${key} of Task '${name}' names '${errorName}', which ${resource} never raises, so it never matches and the error AWS raises goes `
            + `${key === 'Retry' ? 'unretried' : 'uncaught'}${closest.length > 0 ? `; did you mean ${closest.map((c) => `'${c}'`).join(' or ')}?` : ''}`,
        });
      });
    });
  }
  if (contract.pattern === 'waitForTaskToken' && contract.tokenField !== undefined) {
    const carriers = contract.tokenIn ?? [];
    const where = tokenPlaces(payload, language);
    if (where.length > 0 && carriers.length > 0 && !where.some((p) => carriers.includes(p))) {
      out.push({
        code: C.MISSING_TASK_TOKEN,
        severity: 'warning',
        location: `${at}/${field}/${escapePointerSegment(where[0])}`,
        message: `Task '${name}' passes the task token in ${field}.${where[0]}, which ${contract.service}:${contract.action} does not hand to its worker, `
          + `so no worker can resume it; put it in ${contract.tokenField}`,
      });
    }
  }
}

/** The top-level fields of a payload whose value mentions the task token. */
function tokenPlaces(payload: JsonValue | undefined, language: QueryLanguage): string[] {
  if (!isJsonObject(payload)) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(payload)) {
    if (mentionsToken(value, language, key, 0)) out.push(key.endsWith('.$') ? key.slice(0, -2) : key);
  }
  return out;
}

function mentionsToken(value: JsonValue, language: QueryLanguage, key: string, depth: number): boolean {
  if (depth > 32) return false;
  if (typeof value === 'string') {
    return language === 'JSONata' ? value.includes('Task.Token') : key.endsWith('.$') && value.includes('$$.Task.Token');
  }
  if (Array.isArray(value)) return value.some((v) => mentionsToken(v, language, key, depth + 1));
  if (isJsonObject(value)) return Object.entries(value).some(([k, v]) => mentionsToken(v, language, k, depth + 1));
  return false;
}

const CODES: Record<ContractFinding['code'], Finding['code']> = {
  UNKNOWN_FIELD: C.UNKNOWN_REQUEST_FIELD,
  MISSING_FIELD: C.MISSING_REQUEST_FIELD,
  WRONG_TYPE: C.REQUEST_FIELD_TYPE,
  // A request's enums and bounds are not judged (the tables keep an answer's only); listed for completeness.
  NOT_IN_ENUM: C.REQUEST_FIELD_TYPE,
  OUT_OF_RANGE: C.REQUEST_FIELD_TYPE,
  BAD_LENGTH: C.REQUEST_FIELD_TYPE,
  UNION: C.REQUEST_FIELD_TYPE,
  BAD_TIMESTAMP: C.REQUEST_FIELD_TYPE,
  UNKNOWN_ACTION: C.UNKNOWN_INTEGRATION,
};

/** `Parameters.Key.id.S` → `/Parameters/Key/id/S` under the state; `Parameters["a b"]` and `[0]` too. */
function pointerOf(path: string): string {
  const parts: string[] = [];
  const re = /\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|^([A-Za-z]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path)) !== null) {
    const part = m[1] ?? m[2] ?? (m[3] !== undefined ? JSON.parse(m[3]) as string : m[4]);
    if (part !== undefined) parts.push(escapePointerSegment(part));
  }
  return parts.map((p) => `/${p}`).join('');
}

function requestFinding(name: string, kind: string, f: ContractFinding, at: string, field: string): Finding {
  const location = f.code === 'UNKNOWN_ACTION' ? `${at}/Resource` : `${at}${pointerOf(f.path)}`;
  const topLevel = f.code === 'UNKNOWN_FIELD' && f.path.startsWith(field) && !f.path.slice(field.length + 1).match(/[.[]/);
  // A field whose value is a path is refused only when the Task runs: ValidateStateMachineDefinition accepted a
  // `lambda:invoke` with `TaskToken.$` beside Payload, and its run failed with the same words (a reported case).
  const key = topLevel ? f.path.slice(field.length + 1) : '';
  if (kind === 'optimized' && topLevel && !key.endsWith('.$')) {
    const fieldName = key;
    // AWS's words (SCHEMA_VALIDATION_FAILED at the Parameters object); the suggestion is ours.
    return {
      code: C.SCHEMA_VALIDATION_FAILED,
      severity: 'error',
      location,
      message: `The field "${fieldName}" is not supported by Step Functions${f.suggestions?.length ? `; did you mean "${f.suggestions[0]}"?` : ''}`,
    };
  }
  return { code: CODES[f.code], severity: 'warning', location, message: `Task '${name}': ${f.message}` };
}

/**
 * {@link validateDefinition} and the contracts' findings together: what
 * `stepwright validate`, the builders' validator Aspect, the MCP validate tool
 * and serve's CreateStateMachine check. A MISSING_TASK_TOKEN warning names the
 * field the integration hands to its worker.
 */
export function validateWithContracts(definition: unknown, options: ValidateOptions = {}): Finding[] {
  return [...checkWithContracts(definition, options).findings];
}

/**
 * {@link validateWithContracts}, with the definition typed when no finding is an error
 * (asl/validate's {@link checkDefinition}, then the contracts').
 * @internal
 */
export function checkWithContracts(definition: unknown, options: ValidateOptions = {}): DefinitionCheck {
  const check = checkDefinition(definition, options);
  const root = check.definition ?? check.value;
  const resources = new Map<string, string>();
  if (isWalkable(root)) {
    forEachState(root, (name, state, scope) => {
      const resource: unknown = state.Type === 'Task' ? state.Resource : undefined;
      if (typeof resource === 'string') resources.set(`${statePointer(scope, name)}/Resource`, resource);
    });
  }
  const told = check.findings.map((f) => {
    if (f.code !== C.MISSING_TASK_TOKEN) return f;
    const resource = resources.get(f.location);
    const tokenField = resource === undefined ? undefined : contractOf(resource).tokenField;
    return tokenField === undefined ? f : { ...f, message: `${f.message.replace(/; add .*$/, '')}; put $$.Task.Token in ${tokenField}` };
  });
  // AWS reports a definition's structural errors alone (measured): the contracts judge a definition free of them.
  if (check.definition === undefined) return { ...check, findings: told };
  const findings = [...told, ...contractFindings(check.definition, { warnings: options.warnings ?? true })];
  const errors = findings.filter((f) => f.severity === 'error');
  return errors.length === 0 ? { definition: check.definition, findings } : { value: check.definition, findings, errors };
}

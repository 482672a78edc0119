/*
 * A definition's problems as AWS states them: the diagnostics of ValidateStateMachineDefinition
 * and the message of CreateStateMachine's and UpdateStateMachine's InvalidDefinition.
 *
 * The validator words its findings for the person fixing a definition and uses codes finer than
 * AWS's. Here, at the API edge, each finding is answered as AWS answers its kind: AWS's code,
 * AWS's sentence and AWS's location. The sources of each wording are cited where it is made; a
 * finding of a kind with no known AWS wording keeps the validator's message under AWS's code.
 */
import { readAsJackson } from './jackson';
import { contracts, validator } from './lazy';
import type { JsonValue, StateMachineDefinition } from '../asl';
import type { MachineType } from '../asl/aws-defaults';
import type { Finding, FindingKind } from '../asl/validate';

/** One diagnostic of ValidateStateMachineDefinition. @internal */
export interface Diagnostic {
  readonly severity: 'ERROR' | 'WARNING';
  readonly code: string;
  readonly message: string;
  /** Where, as AWS writes it (`/States/P/Branches[0]/States/A`); absent where AWS gives none. */
  readonly location?: string;
}

/**
 * AWS's answer to a definition that is JSON but not an object, or only white space (recorded:
 * test_validate_state_machine_definition_not_a_definition[EMPTY_STRING], no location).
 */
const NOT_AN_OBJECT: Diagnostic = { severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'Definition must be a valid JSON object' };

/**
 * The validator's codes that AWS also uses: the error codes of the API reference
 * (ValidateStateMachineDefinitionDiagnostic), and UNSUPPORTED_JSONATA_EXPRESSION, which AWS answers
 * with though the reference does not list it (measured with validate-state-machine-definition,
 * floci-io/floci#2670).
 */
const AWS_CODES: ReadonlySet<string> = new Set([
  'INVALID_JSON_DESCRIPTION', 'MISSING_DESCRIPTION', 'SCHEMA_VALIDATION_FAILED', 'INVALID_RESOURCE', 'MISSING_END_STATE',
  'DUPLICATE_STATE_NAME', 'INVALID_STATE_NAME', 'DUPLICATE_LABEL_NAME', 'INVALID_LABEL_NAME', 'MISSING_TRANSITION_TARGET',
  'UNSUPPORTED_JSONATA_EXPRESSION',
]);

/** The validator's finer codes that AWS reports under a code of its own; any other code is AWS's SCHEMA_VALIDATION_FAILED. */
const AWS_CODE_FOR: ReadonlyMap<string, string> = new Map([
  // AWS reports an unreachable state under MISSING_TRANSITION_TARGET (localstack/localstack#11978, recorded by AWS).
  ['UNREACHABLE_STATE', 'MISSING_TRANSITION_TARGET'],
  // AWS's code for a JSONata expression that does not parse (floci-io/floci#2745, measured).
  ['INVALID_JSONATA', 'INVALID_JSONATA_EXPRESSION'],
  // The reference's code for states nested too deeply; that AWS uses it at this depth is not recorded.
  ['DEFINITION_TOO_DEEP', 'TOO_DEEPLY_NESTED'],
]);

/** AWS's code for a code of the validator. @internal */
export function awsCode(code: string): string {
  return AWS_CODES.has(code) ? code : AWS_CODE_FOR.get(code) ?? 'SCHEMA_VALIDATION_FAILED';
}

/** The state types in the order AWS lists them when it refuses another (localstack test_state_name_invalid_state_definition, AWS-validated). */
const STATE_TYPES = '[Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]';

/**
 * AWS's sentence for a finding of a known kind, and the pointer it is located at (undefined for
 * none). Sources: the serve-api recordings (required fields, the QueryLanguage downgrade, EXPRESS
 * callbacks), localstack/localstack#11978 (transition targets, unreachable states), the
 * validate-state-machine-definition answers measured in floci-io/floci#2735, #2745, #2968 and
 * #2670 (unsupported fields, query-language fields, value types, enumerations, terminal states,
 * JSONata) and #3733 (a number below its least value: `Minimum value is 0`, `Minimum value is
 * 0.0`, `Maximum value is 100.0`), public deployment errors quoting AWS for `.$` values, and one
 * quoting CloudFormation for a Wait's Seconds (aws-cloudformation/cfn-lint#4075: `Maximum value is
 * 99999999 at /States/Wait/Seconds`).
 */
function awsWords(kind: FindingKind, location: string): { code: string; message: string; at: string | undefined } {
  const schema = (message: string, at: string | undefined = location) => ({ code: 'SCHEMA_VALIDATION_FAILED', message, at });
  switch (kind.kind) {
    case 'required-field': return schema(`These fields are required: [${kind.field}]`);
    case 'unsupported-field': return schema(`Field '${kind.field}' is not supported`, kind.object);
    case 'other-language-field': {
      const other = kind.language === 'JSONata' ? 'JSONPath' : 'JSONata';
      return schema(`The QueryLanguage is set to '${kind.language}', but field '${kind.field}' is only supported for the '${other}' QueryLanguage`, kind.object);
    }
    case 'language-downgrade': return schema("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", kind.object);
    case 'wrong-type': return schema(`Expected value of type [${kind.expected}]`);
    // A decimal field's bound as Java prints a double (`0.0`, `100.0`); measured on Map's numeric fields.
    case 'out-of-range': return schema(`${kind.bound === 'minimum' ? 'Minimum' : 'Maximum'} value is ${kind.decimal && Number.isInteger(kind.limit) ? `${kind.limit}.0` : kind.limit}`);
    case 'not-one-of': return schema(`Value should be one of the following: [${kind.values.join(', ')}]`);
    case 'unknown-state-type': return schema(`The field 'Type' should have one of these values: ${STATE_TYPES}`);
    // Quoted from AWS in public deployment errors (a `${...}` no DefinitionSubstitutions entry replaced).
    case 'not-an-arn': return schema('Value is not a valid resource ARN');
    case 'missing-target': return { code: 'MISSING_TRANSITION_TARGET', message: `Missing 'Next' target: ${kind.target}`, at: location };
    case 'unreachable-state': return { code: 'MISSING_TRANSITION_TARGET', message: `State "${kind.state}" is not reachable.`, at: location };
    case 'no-terminal-state': return { code: 'MISSING_END_STATE', message: 'Workflow has no terminal state', at: undefined };
    case 'express-unsupported':
      // The trailing space after '.waitForTaskToken' is AWS's own (recorded twice: validation and
      // creation); '.sync' is recorded too. The activity sentence is LocalStack's rendering of AWS's, not recorded here.
      return schema(kind.feature === 'activity' ? 'Express state machine does not support Activity ARN'
        : kind.feature === '.sync' ? "Express state machine does not support '.sync' service integration"
          : "Express state machine does not support '.waitForTaskToken' service integration ");
    // Measured for API Gateway's and HTTP Tasks (the catalogue's UNSUPPORTED_HEADERS cites where).
    case 'unsupported-headers': return schema(`The 'Headers' field contains unsupported values: [${kind.names.join(', ')}]`);
    case 'dynamic-value': return schema(`The value for the field '${kind.field}' must be a valid JSONPath or a valid intrinsic function call`);
    case 'jsonata-syntax': return { code: 'INVALID_JSONATA_EXPRESSION', message: kind.parser, at: location };
    case 'jsonata-reference': return {
      code: 'UNSUPPORTED_JSONATA_EXPRESSION',
      message: kind.reference === 'root' ? "Reference to '$$' is not supported."
        : kind.reference === 'errorOutput' ? "Field '$states.errorOutput' does not exist."
          : `Reference to '${kind.name}' at the top level is not supported.`,
      at: location,
    };
  }
}

/**
 * A JSON pointer into the definition, written as AWS writes a location: `/` for the whole
 * definition, names unescaped, an array index in brackets after its field (`/States/C/Choices[0]/Next`,
 * `/States/P/Branches[0]/States/A`; measured, floci-io/floci#2735).
 * @internal
 */
export function awsLocation(root: JsonValue, pointer: string): string {
  if (pointer === '' || pointer === '/') return '/';
  let out = '';
  let node: JsonValue | undefined = root;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      out += `[${segment}]`;
      node = node[Number(segment)];
    } else {
      out += `/${segment}`;
      node = typeof node === 'object' && node !== null && Object.hasOwn(node, segment) ? node[segment] : undefined;
    }
  }
  return out;
}

/**
 * The validator's findings as AWS's diagnostics. Warnings are left out: AWS's are of kinds the
 * validator does not report (NO_DOLLAR, NO_PATH, PASS_RESULT_IS_STATIC), and its own
 * best-practice warnings are not AWS's. The missing fields of one object are one diagnostic, as
 * AWS lists them ("These fields are required: [States, StartAt]", recorded).
 * @internal
 */
export function awsDiagnostics(findings: readonly Finding[], root: JsonValue): Diagnostic[] {
  const out: Diagnostic[] = [];
  const required = new Map<string, { index: number; fields: string[] }>();
  for (const f of findings) {
    if (f.severity !== 'error') continue;
    const kind = validator().kindOf(f);
    if (kind === undefined) {
      out.push({ severity: 'ERROR', code: awsCode(f.code), message: f.message, location: awsLocation(root, f.location) });
      continue;
    }
    const words = awsWords(kind, f.location);
    const location = words.at === undefined ? undefined : awsLocation(root, words.at);
    if (kind.kind === 'required-field' && location !== undefined) {
      const earlier = required.get(location);
      if (earlier) {
        earlier.fields.push(kind.field);
        out[earlier.index] = { ...out[earlier.index], message: `These fields are required: [${earlier.fields.join(', ')}]` };
        continue;
      }
      required.set(location, { index: out.length, fields: [kind.field] });
    }
    out.push({ severity: 'ERROR', code: words.code, message: words.message, ...(location !== undefined ? { location } : {}) });
  }
  return out;
}

/**
 * Checks a definition as ValidateStateMachineDefinition and CreateStateMachine do and answers with
 * AWS's diagnostics: text that is not JSON in the words of AWS's parser, JSON that is not an
 * object, then the validator's findings.
 * @internal
 */
export function definitionDiagnostics(definition: string, type: MachineType): Diagnostic[] {
  return diagnoseDefinition(definition, type).diagnostics;
}

/**
 * {@link definitionDiagnostics}, with the definition it parsed, typed by the check, when the check
 * passed it. CreateStateMachine and UpdateStateMachine compile and keep that one parse (the
 * validator and the compiler only read it) rather than parsing a definition of up to 1 MB again
 * for each.
 * @internal
 */
export function diagnoseDefinition(
  definition: string, type: MachineType,
): { readonly diagnostics: Diagnostic[]; readonly parsed?: StateMachineDefinition } {
  let root: JsonValue;
  try {
    // One parse: JSON to the diagnostics, and to the check that types it.
    root = JSON.parse(definition);
  } catch (e) {
    const reading = readAsJackson(definition);
    if (reading.kind === 'empty') return { diagnostics: [NOT_AN_OBJECT] };
    // Recorded: the message is Jackson's with its location, and the location alone as well.
    const message = reading.kind === 'refused' ? `${reading.message}\n at ${reading.location}` : (e as Error).message;
    return { diagnostics: [{ severity: 'ERROR', code: 'INVALID_JSON_DESCRIPTION', message, ...(reading.kind === 'refused' ? { location: reading.location } : {}) }] };
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) return { diagnostics: [NOT_AN_OBJECT] };
  // The contracts add what AWS refuses in an optimized integration's Parameters (a field it does not support).
  // The API is given a definition no deploy substitutes into any more: a `${...}` left in a Resource is no ARN.
  const check = contracts().checkWithContracts(root, { type, warnings: false, substituted: true });
  const diagnostics = awsDiagnostics(check.findings, root);
  return check.definition === undefined ? { diagnostics } : { diagnostics, parsed: check.definition };
}

/**
 * CreateStateMachine's and UpdateStateMachine's InvalidDefinition message: each diagnostic as
 * `CODE: message at location`, joined by ", " (recorded; localstack/localstack#11978 for several),
 * `null` standing for no location (floci-io/floci#2735).
 * @internal
 */
export function invalidDefinitionMessage(diagnostics: readonly Diagnostic[]): string {
  return `Invalid State Machine Definition: '${diagnostics.map((d) => `${d.code}: ${d.message} at ${d.location ?? 'null'}`).join(', ')}'`;
}

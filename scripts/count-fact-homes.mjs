#!/usr/bin/env node
// Counts, in src/, the copies of AWS facts that issue 76 gives one home each: what the lead
// measures "one home per fact" by. Code only: comments are never counted, and a string literal
// is one in ' or " (a template string is not).
//
//   node scripts/count-fact-homes.mjs          the figures, one a line, beside their ceilings
//   node scripts/count-fact-homes.mjs --where  and where each counted copy is
//   node scripts/count-fact-homes.mjs --json   the figures as JSON
//   node scripts/count-fact-homes.mjs --where --json-to <file>
//                                               and the figures as JSON in <file> too: one count
//                                               (two seconds and more of parsing src/) for both
//   node scripts/count-fact-homes.mjs --root <dir>
//                                               count <dir>/src instead of this clone's
//
// Exits 1 when a figure is over its ceiling.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ts = require('typescript');

const argv = process.argv.slice(2);
const args = new Set(argv);
const ROOT = argv.includes('--root') ? path.resolve(argv[argv.indexOf('--root') + 1] ?? '.') : path.join(path.dirname(new URL(import.meta.url).pathname), '..');
const SRC = path.join(ROOT, 'src');
/** The default account's literal (an account id AWS's own documentation uses). */
const DEFAULT_ACCOUNT = '123456789012';
/** The error names of a file of src/asl/ that lists them (`  Name: 'Name',`). */
const errorNamesOf = (file) => [...fs.readFileSync(path.join(SRC, 'asl', file), 'utf8').matchAll(/^ {2}([A-Z][A-Za-z]*): '\1',$/gm)].map((m) => m[1]);
/** The error names of Step Functions' API the model declares (src/asl/api-errors.generated.ts). */
const MODEL_API_ERROR_NAMES = new Set(errorNamesOf('api-errors.generated.ts'));
/** The error names of Step Functions' API: the model's and the protocol's (src/asl/api-errors.ts). */
const API_ERROR_NAMES = new Set([...MODEL_API_ERROR_NAMES, ...errorNamesOf('api-errors.ts')]);
/** The HTTP statuses, as numbers. */
const isHttpStatus = (value) => value !== undefined && Number.isInteger(value) && value >= 100 && value <= 599;
/** The types of history events, as the model's HistoryEventType lists them (src/asl/history-event-types.ts). */
const EVENT_TYPES = new Set([...fs.readFileSync(path.join(SRC, 'asl', 'history-event-types.ts'), 'utf8')
  .matchAll(/^ {2}\| '([A-Za-z]+)'$/gm)].map((m) => m[1]));
/** 256 KiB, the payload limit: its spellings as a number. */
const PAYLOAD = 262144;

/**
 * AWS's limits that no other number of src/ shares, by value: however a copy spells it (a literal,
 * `2 ** 31 - 1`, `365 * 24 * 3600`), it is counted. An integer member's range (Java's int), an error's
 * cause, the history's events, the seconds bound, Retry's MaxDelaySeconds, a Standard execution's
 * year, ItemReader's MaxItems, TestState's call timeout of parity (five minutes and half a minute).
 */
const LIMIT_VALUES = new Map([
  [2 ** 31 - 1, 'INTEGER_MAX'], [-(2 ** 31), 'INTEGER_MIN'], [32_768, 'CAUSE_CHARS'], [25_000, 'HISTORY_EVENTS'],
  [99_999_999, 'SECONDS'], [31_622_401, 'MAX_DELAY_SECONDS'], [365 * 24 * 3600, 'STANDARD_DURATION_SECONDS'],
  [100_000_000, 'MAX_ITEMS'], [330_000, 'TEST_STATE_SECONDS'],
]);
/**
 * Where such a number is its own fact: AWS's model's generated shapes, and Node's longest timer
 * (asl/timer.ts's LONGEST_TIMER_MS), which is 2^31 - 1 milliseconds as Java's int is 2^31 - 1.
 */
const LIMIT_OTHER_HOMES = [path.join('src', 'asl', 'timer.ts')];

/** What eventTypeLiterals counted when it was first counted (2026-11-30). */
const CEILING_EVENT_TYPES = 180;

const jsonTo = argv.includes('--json-to') ? argv[argv.indexOf('--json-to') + 1] : undefined;
if (args.has('--json-to') && (jsonTo === undefined || jsonTo.startsWith('--'))) {
  process.stderr.write('--json-to needs a file to write the figures to\n');
  process.exit(2);
}

function* files(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield full;
  }
}

/** Each figure: what it counts, its ceiling (issue 76's "done when"), and where it found each. */
const figures = {
  statesLiterals: { label: "'States.…' literals outside asl/", ceiling: 0, where: [] },
  statesRuntime: { label: "'States.Runtime' literals outside asl/", ceiling: 0, where: [] },
  // Three are left: TaskTimedOut as a history event's type, EventBridge's InternalFailure entry code
  // and DynamoDB's ValidationException, each another fact that shares the name.
  // The model's statuses are generated (MODEL_API_ERROR_STATUS, asl/api-errors.generated.ts); only the
  // framework's errors, which the model does not hold, have theirs written, in asl/api-errors.ts.
  // 6 were counted at first (2026-11-30): the table of 409 and 402, TooManyTags' 400, two 500s and a 403.
  apiErrorStatuses: { label: "an API error's HTTP status written by hand (keyed by its name, or given to new ApiError) outside its generated home", ceiling: 0, where: [] },
  apiErrorLiterals: { label: "Step Functions' API error names as literals outside asl/api-errors.ts", ceiling: 3, where: [] },
  payloadLines: { label: 'code lines with the payload limit (262144, 262_144, 256 * 1024)', ceiling: 2, where: [] },
  limitNumbers: { label: "AWS's limits as numbers (by value) outside asl/limits.ts", ceiling: 0, where: [] },
  eventDetailsScans: { label: "endsWith('EventDetails') scans", ceiling: 0, where: [] },
  // 11 were counted at first (2026-11-30); each left is a third party's private field or typings
  // narrower than its code, or explore's visits reading a recording's events, and says why.
  asUnknownAs: { label: 'as unknown as', ceiling: 8, where: [] },
  // The lint rule refuses a cast through unknown unless a disable comment gives the reason: one
  // disabled without a reason is counted here.
  asUnknownAsUnexplained: { label: "as unknown as without a reason (an eslint-disable comment's -- <why>)", ceiling: 0, where: [] },
  // A definition is typed by the validator (asl/validate/index.ts), never by a cast: TestState's
  // state by TestState's own check of it, ExtractedStateMachine.definition when first read.
  definitionCasts: { label: 'casts to StateMachineDefinition outside asl/validate/index.ts', ceiling: 0, where: [] },
  // Each left reads JSON from outside member by member (a request, a file, a template, a recording),
  // or stands for a history event's details where the recorder renders them (see issue 76).
  recordStringUnknown: { label: 'Record<string, unknown>', ceiling: 89, where: [] },
  mockAdviceFiles: { label: 'files naming mockAdvice', ceiling: 5, where: [] },
  defaultAccountFiles: { label: `files with the default account's literal (${DEFAULT_ACCOUNT})`, ceiling: 1, where: [] },
  arnTemplates: { label: 'ARNs built by a template starting arn: outside asl/aws-defaults.ts', ceiling: 0, where: [] },
  resourceTextReads: { label: "a Resource's pattern or activity read off its text outside asl/task-resource.ts", ceiling: 0, where: [] },
  // Most are checked against HistoryEventType by the compiler (a recorder's type, a comparison with an
  // event's type); the count keeps new ones from spreading while they move to history-events.ts's sets.
  eventTypeLiterals: { label: 'history event types as literals outside asl/history-event*.ts', ceiling: CEILING_EVENT_TYPES, where: [] },
  partitionDefaults: { label: "'aws' as a default partition (after ??, || or =, or AWS::Partition's fallback) outside asl/aws-defaults.ts", ceiling: 0, where: [] },
  machineTypeDefaults: { label: "'STANDARD' as a default (after ??, || or an undefined test) outside asl/aws-defaults.ts", ceiling: 0, where: [] },
  // TestState's level when a call names none: DEFAULT_INSPECTION_LEVEL (asl/aws-defaults.ts). 3 were
  // counted at first (2026-12-01): jest's testState, serve's TestState and the parity case file.
  inspectionLevelDefaults: { label: "'INFO' as TestState's default level (after ??, || or an undefined test) outside asl/aws-defaults.ts", ceiling: 0, where: [] },
  // Three were counted at first (2026-11-30): the template's check, --parameter's and MCP's schema.
  // Five were counted at first (2026-11-30): the harness's, TestState's, serve's (two) and the request checks'.
  validationWords: { label: "a ValidationException's words (validation error(s) detected, Member must) outside asl/validation-messages.ts", ceiling: 0, where: [] },
  // 41 were counted at first (2026-11-30); the two left are in API.md, which shows their values.
  machineTypeUnions: { label: "a state machine's type written as 'STANDARD' | 'EXPRESS' outside asl/aws-defaults.ts", ceiling: 2, where: [] },
  // What help texts, schemas and messages state of a limit or a run's default is built from its home
  // (AwsLimits, PAYLOAD_WORDS and EXPRESS_DURATION_WORDS in asl/limits.ts, VIRTUAL_CLOCK_START in
  // interpreter/clock.ts, EXPRESS_MAX_TRANSITIONS in interpreter/execution-types.ts): 24 were counted
  // at first (2026-11-30), in the CLI's and MCP's texts, explore's findings and serve's and cost's messages.
  limitWords: { label: 'limits and run defaults written out in a text (25,000, 262,144, 1,000,000, 256 KiB, 5 minutes, 2024-01-01T00:00:00Z as a default)', ceiling: 0, where: [] },
  // The values a schema or a reader offers for a machine's type and a mock's validation mode (TestState's
  // fieldValidationMode): MACHINE_TYPES (asl/aws-defaults.ts), MOCK_VALIDATION_MODES (workbench/mocks/validation-mode.ts).
  // 8 were counted at first (2026-11-30): MCP's schemas, serve's records and the Map validator.
  modeLists: { label: "a list of the machine types, the mock validation modes or TestState's inspection levels outside their homes", ceiling: 0, where: [] },
  // A run's seed when none is given: DEFAULT_SEED (asl/random.ts). 5 were counted at first (2026-11-30):
  // the harness's session, delivery, explore's runner and the two scaffolds.
  seedDefaults: { label: 'a seed defaulted to 0 (seed ?? 0) outside asl/random.ts', ceiling: 0, where: [] },
  parameterNameRules: { label: "a CloudFormation parameter's name rule ([A-Za-z0-9]+) outside cfn/parameter-name.ts", ceiling: 0, where: [] },
  // A query language when none is named: DEFAULT_QUERY_LANGUAGE and queryLanguageOf (asl/query-language.ts).
  // 9 were counted at first (2026-11-30): explore's, contracts', the interpreter's and TestState's.
  queryLanguageDefaults: { label: "'JSONPath' as a default (after ?? or ||) outside asl/query-language.ts", ceiling: 0, where: [] },
  // The type QueryLanguage (asl/definition-types.ts) written out as its union: 33 were counted at first
  // (2026-11-30); those left are explore's and verify's.
  queryLanguageUnions: { label: "a query language written as 'JSONPath' | 'JSONata' outside asl/definition-types.ts", ceiling: 16, where: [] },
  // Casts by another name. Reflect.get types a field it reads any: a field a type does not name is
  // read by fieldOf or memberOf (asl/own.ts), typed unknown for a guard. 17 were counted at first
  // (2026-11-30); the one left reads a definition's field by a name known at run time, and says why. A
  // Proxy's get trap forwarding with its receiver (a third argument) is Reflect.get's own use, not counted.
  reflectGets: { label: 'Reflect.get outside asl/own.ts (a field read as any)', ceiling: 1, where: [] },
  // A cast to a type parameter (`x as T`) claims what only a caller knows; the lint rule refuses one
  // without a reason. 10 were counted at first (2026-11-30): 4 are left, each saying why (a module's
  // exports typed by its caller's import, verify's runs widened by ScenarioRunner).
  typeParameterCasts: { label: 'casts to a type parameter (as T)', ceiling: 4, where: [] },
  // Casts to a type built of one (`as Record<K, string>`, `as RunPredicate<R>`): counted, not yet
  // refused. 9 were counted at first (2026-11-30).
  typeParameterTypeCasts: { label: 'casts to a type built of a type parameter (as Record<K, T>)', ceiling: 8, where: [] },
};
/** The names of the type parameters in scope at a node: its own declaration's and every enclosing one's. */
const typeParametersAt = (node) => {
  const names = new Set();
  for (let p = node.parent; p !== undefined; p = p.parent) for (const tp of p.typeParameters ?? []) names.add(tp.name.text);
  return names;
};
/** True when a type node names one of `names` anywhere in it. */
const namesTypeParameter = (type, names) => (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && names.has(type.typeName.text))
  || (ts.forEachChild(type, (child) => (namesTypeParameter(child, names) ? true : undefined)) ?? false);
/** What a Resource's text is read for outside its parse: a suffix, an activity, a Lambda invoke. */
const RESOURCE_TEXT = /^(\.sync|\.waitForTaskToken|:activity:)/;
const RESOURCE_REGEX = /\\\.sync|waitForTaskToken|:activity:|:lambda:invoke/;
/** A parameter's name, alphanumeric, as a regular expression or its source. */
/** A ValidationException's words, as AWS's JSON services write them. */
const VALIDATION_WORDS = /validation errors? detected|failed to satisfy constraint: Member must/;
/** A limit or a run's default written out in words (outside the homes LIMIT_WORD_HOMES names). */
const LIMIT_WORDS = /(?<![\d,.])(25,000|262,144|1,000,000)(?![\d,])|\b256 KiB\b|\b(5|five)[- ]minutes?\b|Default: 2024-01-01T00:00:00Z/i;
const LIMIT_WORD_HOMES = [path.join('src', 'asl', 'limits.ts'), path.join('src', 'interpreter', 'clock.ts'), path.join('src', 'interpreter', 'execution-types.ts')];
/** The lists of a closed set of values, each by its home. */
const MODE_LISTS = new Map([
  ['STANDARD,EXPRESS', path.join('src', 'asl', 'aws-defaults.ts')],
  ['STRICT,PRESENT,NONE', path.join('src', 'workbench', 'mocks', 'validation-mode.ts')],
  ['INFO,DEBUG,TRACE', path.join('src', 'asl', 'aws-defaults.ts')],
]);
const PARAMETER_NAME_FORMS = new Set(['/^[A-Za-z0-9]+$/', '[A-Za-z0-9]+', '^[A-Za-z0-9]+$']);

/** A comment turning the fact rules off for its own line or the next, with a reason after `--`. */
const DISABLED_WITH_REASON = {
  line: /\/\/ eslint-disable-line no-restricted-syntax -- \S/,
  next: /^\s*\/\/ eslint-disable-next-line no-restricted-syntax -- \S/,
};

const isStringLiteral = (node) => node.kind === ts.SyntaxKind.StringLiteral;
/** True when a node is what an expression falls back to: the right of `??` or `||`, or the value of `x === undefined ? … : …`. */
const defaultsTo = (node) => {
  const p = node.parent;
  if (ts.isBinaryExpression(p) && p.right === node) {
    return p.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || p.operatorToken.kind === ts.SyntaxKind.BarBarToken;
  }
  return ts.isConditionalExpression(p) && p.whenTrue === node && ts.isBinaryExpression(p.condition)
    && p.condition.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken && p.condition.right.getText() === 'undefined';
};
const numberOf = (node) => (node.kind === ts.SyntaxKind.NumericLiteral ? Number(node.text.replace(/_/g, '')) : undefined);
/** The value of an expression of number literals (`-(2 ** 31)`, `365 * 24 * 3600`), or undefined. */
const foldedOf = (node) => {
  if (node.kind === ts.SyntaxKind.NumericLiteral) return Number(node.text.replace(/_/g, ''));
  if (ts.isParenthesizedExpression(node)) return foldedOf(node.expression);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) {
    const value = foldedOf(node.operand);
    return value === undefined ? undefined : -value;
  }
  if (!ts.isBinaryExpression(node)) return undefined;
  const [a, b] = [foldedOf(node.left), foldedOf(node.right)];
  if (a === undefined || b === undefined) return undefined;
  switch (node.operatorToken.kind) {
    case ts.SyntaxKind.AsteriskAsteriskToken: return a ** b;
    case ts.SyntaxKind.AsteriskToken: return a * b;
    case ts.SyntaxKind.PlusToken: return a + b;
    case ts.SyntaxKind.MinusToken: return a - b;
    default: return undefined;
  }
};
/** True when a node is the whole of an expression of number literals, not a part of a larger one. */
const foldedWhole = (node) => node.parent === undefined || foldedOf(node.parent) === undefined
  || !(ts.isParenthesizedExpression(node.parent) || ts.isPrefixUnaryExpression(node.parent) || ts.isBinaryExpression(node.parent));

for (const file of files(SRC)) {
  const rel = path.relative(ROOT, file);
  const inAsl = rel.startsWith(`src${path.sep}asl${path.sep}`);
  const isValidator = rel === path.join('src', 'asl', 'validate', 'index.ts');
  const isApiErrors = rel.startsWith(path.join('src', 'asl', 'api-errors.'));
  const isArnHome = rel === path.join('src', 'asl', 'aws-defaults.ts');
  const isEventHome = rel.startsWith(path.join('src', 'asl', 'history-event'));
  const isResourceHome = rel === path.join('src', 'asl', 'task-resource.ts');
  const isValidationHome = rel === path.join('src', 'asl', 'validation-messages.ts');
  const isParameterNameHome = rel === path.join('src', 'cfn', 'parameter-name.ts');
  const isLimitHome = rel === path.join('src', 'asl', 'limits.ts') || rel.endsWith('.generated.ts') || LIMIT_OTHER_HOMES.includes(rel);
  const text = fs.readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const at = (node) => `${rel}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
  const lines = text.split('\n');
  /** True when the line of a node, or the line above it, turns the fact rules off for it with a reason. */
  const explained = (node) => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
    return DISABLED_WITH_REASON.line.test(lines[line]) || (line > 0 && DISABLED_WITH_REASON.next.test(lines[line - 1]));
  };
  const payloadLines = new Set();
  let mockAdvice = false;
  let account = false;

  const visit = (node) => {
    if (isStringLiteral(node) && !inAsl && node.text.startsWith('States.')) {
      figures.statesLiterals.where.push(`${at(node)} ${node.text}`);
      if (node.text === 'States.Runtime') figures.statesRuntime.where.push(at(node));
    }
    if (isStringLiteral(node) && !isApiErrors && API_ERROR_NAMES.has(node.text)) figures.apiErrorLiterals.where.push(`${at(node)} ${node.text}`);
    if (!rel.endsWith('.generated.ts') && ts.isPropertyAssignment(node) && isHttpStatus(numberOf(node.initializer))) {
      const key = ts.isComputedPropertyName(node.name)
        ? (ts.isPropertyAccessExpression(node.name.expression) ? node.name.expression.name.text : ts.isStringLiteralLike(node.name.expression) ? node.name.expression.text : undefined)
        : node.name.text;
      const own = isApiErrors && !MODEL_API_ERROR_NAMES.has(key);
      if (key !== undefined && API_ERROR_NAMES.has(key) && !own) figures.apiErrorStatuses.where.push(`${at(node)} ${key}: ${numberOf(node.initializer)}`);
    }
    if (ts.isNewExpression(node) && node.expression.getText(source) === 'ApiError' && node.arguments !== undefined && node.arguments.length > 2
      && isHttpStatus(numberOf(node.arguments[2]))) figures.apiErrorStatuses.where.push(`${at(node)} new ApiError(…, ${numberOf(node.arguments[2])})`);
    if (numberOf(node) === PAYLOAD) payloadLines.add(at(node));
    if (!isLimitHome && (node.kind === ts.SyntaxKind.NumericLiteral || ts.isBinaryExpression(node) || ts.isPrefixUnaryExpression(node))
      && LIMIT_VALUES.has(foldedOf(node)) && foldedWhole(node)) figures.limitNumbers.where.push(`${at(node)} ${foldedOf(node)} (AwsLimits.${LIMIT_VALUES.get(foldedOf(node))})`);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.AsteriskToken
      && numberOf(node.left) === 256 && numberOf(node.right) === 1024) payloadLines.add(at(node));
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)
      && node.expression.name.text === 'endsWith' && node.arguments.length > 0
      && ts.isStringLiteralLike(node.arguments[0]) && node.arguments[0].text === 'EventDetails') {
      figures.eventDetailsScans.where.push(at(node));
    }
    if (ts.isAsExpression(node) && ts.isAsExpression(node.expression)
      && node.expression.type.kind === ts.SyntaxKind.UnknownKeyword) {
      figures.asUnknownAs.where.push(at(node));
      if (!explained(node)) figures.asUnknownAsUnexplained.where.push(at(node));
    }
    if ((ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) && ts.isTypeReferenceNode(node.type)
      && node.type.typeName.getText(source) === 'StateMachineDefinition' && !isValidator) figures.definitionCasts.where.push(at(node));
    if (isStringLiteral(node) && node.text === 'JSONPath' && node.parent !== undefined && ts.isBinaryExpression(node.parent) && defaultsTo(node)
      && rel !== path.join('src', 'asl', 'query-language.ts')) figures.queryLanguageDefaults.where.push(at(node));
    if (ts.isUnionTypeNode(node) && rel !== path.join('src', 'asl', 'definition-types.ts')
      && ['JSONPath', 'JSONata'].every((name) => node.types.some((t) => ts.isLiteralTypeNode(t) && isStringLiteral(t.literal) && t.literal.text === name))) {
      figures.queryLanguageUnions.where.push(at(node));
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ts.isIdentifier(node.expression.expression)
      && node.expression.expression.text === 'Reflect' && node.expression.name.text === 'get' && node.arguments.length < 3
      && rel !== path.join('src', 'asl', 'own.ts')) figures.reflectGets.where.push(at(node));
    if ((ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) && node.type.kind !== ts.SyntaxKind.UnknownKeyword) {
      const names = typeParametersAt(node);
      if (names.size > 0 && ts.isTypeReferenceNode(node.type) && ts.isIdentifier(node.type.typeName) && names.has(node.type.typeName.text)) {
        figures.typeParameterCasts.where.push(`${at(node)} as ${node.type.getText(source)}`);
      } else if (names.size > 0 && namesTypeParameter(node.type, names)) {
        figures.typeParameterTypeCasts.where.push(`${at(node)} as ${node.type.getText(source).slice(0, 60)}`);
      }
    }
    if (ts.isTypeReferenceNode(node) && node.typeName.getText(source) === 'Record' && node.typeArguments?.length === 2
      && node.typeArguments[0].kind === ts.SyntaxKind.StringKeyword
      && node.typeArguments[1].kind === ts.SyntaxKind.UnknownKeyword) figures.recordStringUnknown.where.push(at(node));
    if (!isEventHome && !isApiErrors && isStringLiteral(node) && EVENT_TYPES.has(node.text)) figures.eventTypeLiterals.where.push(`${at(node)} ${node.text}`);
    if (!isArnHome && isStringLiteral(node) && node.text === 'aws' && node.parent !== undefined && (defaultsTo(node)
      || (ts.isBindingElement(node.parent) && node.parent.initializer === node)
      || (ts.isCallExpression(node.parent) && node.parent.arguments.length > 1 && node.parent.arguments[1] === node
        && ts.isStringLiteralLike(node.parent.arguments[0]) && node.parent.arguments[0].text === 'AWS::Partition'))) figures.partitionDefaults.where.push(at(node));
    if (!isArnHome && isStringLiteral(node) && node.text === 'STANDARD' && node.parent !== undefined && defaultsTo(node)) figures.machineTypeDefaults.where.push(at(node));
    if (!isArnHome && isStringLiteral(node) && node.text === 'INFO' && node.parent !== undefined && defaultsTo(node)) figures.inspectionLevelDefaults.where.push(at(node));
    if (!isArnHome && (ts.isTemplateHead(node) || ts.isNoSubstitutionTemplateLiteral(node)) && node.text.startsWith('arn:')) figures.arnTemplates.where.push(at(node));
    if (!isResourceHome && ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)
      && ['endsWith', 'includes', 'startsWith', 'indexOf'].includes(node.expression.name.text)
      && node.arguments.length > 0 && ts.isStringLiteralLike(node.arguments[0]) && RESOURCE_TEXT.test(node.arguments[0].text)) figures.resourceTextReads.where.push(at(node));
    if (!isResourceHome && node.kind === ts.SyntaxKind.RegularExpressionLiteral && RESOURCE_REGEX.test(node.text)) figures.resourceTextReads.where.push(at(node));
    if (!isArnHome && ts.isUnionTypeNode(node) && node.types.some((t) => ts.isLiteralTypeNode(t) && isStringLiteral(t.literal) && t.literal.text === 'STANDARD')
      && node.types.some((t) => ts.isLiteralTypeNode(t) && isStringLiteral(t.literal) && t.literal.text === 'EXPRESS')) figures.machineTypeUnions.where.push(at(node));
    if (!isValidationHome && (isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)
      || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) && VALIDATION_WORDS.test(node.text)) figures.validationWords.where.push(at(node));
    if (!LIMIT_WORD_HOMES.includes(rel) && (isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)
      || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) && LIMIT_WORDS.test(node.text)) figures.limitWords.where.push(`${at(node)} ${LIMIT_WORDS.exec(node.text)[0]}`);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken && numberOf(node.right) === 0
      && (ts.isPropertyAccessExpression(node.left) ? node.left.name.text : node.left.getText(source)) === 'seed'
      && rel !== path.join('src', 'asl', 'random.ts')) figures.seedDefaults.where.push(at(node));
    if (ts.isArrayLiteralExpression(node) && !rel.endsWith('.generated.ts')) {
      const items = node.elements.map((e) => (isStringLiteral(e) ? e.text : undefined)).join(',');
      const home = MODE_LISTS.get(items);
      if (home !== undefined && rel !== home) figures.modeLists.where.push(`${at(node)} [${items}]`);
    }
    if (!isParameterNameHome && (isStringLiteral(node) || node.kind === ts.SyntaxKind.RegularExpressionLiteral)
      && PARAMETER_NAME_FORMS.has(node.text.replace(/\/[a-z]*$/, '/'))) figures.parameterNameRules.where.push(at(node));
    if ((ts.isIdentifier(node) || ts.isStringLiteralLike(node) || ts.isPrivateIdentifier(node)) && node.text === 'mockAdvice') mockAdvice = true;
    if ((ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node))
      && node.text.includes(DEFAULT_ACCOUNT)) account = true;
    ts.forEachChild(node, visit);
  };
  visit(source);
  figures.payloadLines.where.push(...payloadLines);
  if (mockAdvice) figures.mockAdviceFiles.where.push(rel);
  if (account) figures.defaultAccountFiles.where.push(rel);
}

let over = false;
const result = {};
for (const [key, figure] of Object.entries(figures)) {
  result[key] = figure.where.length;
  if (figure.where.length > figure.ceiling) over = true;
}
if (jsonTo !== undefined) fs.writeFileSync(jsonTo, `${JSON.stringify(result, null, 2)}\n`);
if (args.has('--json')) {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} else {
  for (const figure of Object.values(figures)) {
    const mark = figure.where.length > figure.ceiling ? 'over' : 'ok';
    process.stdout.write(`${String(figure.where.length).padStart(5)}  (at most ${figure.ceiling}, ${mark})  ${figure.label}\n`);
    if (args.has('--where')) for (const place of figure.where) process.stdout.write(`         ${place}\n`);
  }
}
process.exitCode = over ? 1 : 0;

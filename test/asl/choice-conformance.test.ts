import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { compileChoiceRule } from '../../src/asl/choice';
import type { ChoiceState, JsonValue, StateDefinition, StateMachineDefinition } from '../../src/asl/definition-types';
import { compilePath } from '../../src/asl/path';
import { StatesError, StatesErrors } from '../../src/asl/states-errors';
import { sharedPath, describeWithShared } from '../shared-data';

/*
 * Replays the Choice states of the AWS-recorded choice_operators cases with
 * compiled predicates alone (no interpreter): evaluate the rules in order on
 * the recorded input, pick Next / Default / States.NoChoiceMatched, and check
 * that AWS took the same branch. Each case's branch targets are Pass states
 * with distinct Results, so the recorded output names the branch AWS ran.
 */

const CASES_DIR = sharedPath('conformance', 'cases', 'choice_operators');

interface RecordedCase {
  readonly id: string;
  readonly file: string;
  readonly definition: StateMachineDefinition;
  readonly input: JsonValue;
  readonly queryLanguage?: string;
  readonly expected: { status: string; output?: JsonValue; error?: string; cause?: string };
}

type Outcome = { next: string } | { error: string; cause?: string };

function loadCases(): RecordedCase[] {
  return fs.readdirSync(CASES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ ...JSON.parse(fs.readFileSync(path.join(CASES_DIR, f), 'utf8')), file: f }));
}

function effectiveInput(state: StateDefinition, input: JsonValue): JsonValue {
  if (state.InputPath === null) return {};
  if (state.InputPath === undefined) return input;
  const value = compilePath(state.InputPath).read({ input, context: {} });
  return value === undefined ? null : value;
}

/** What our predicates choose for the case's first Choice state. */
function predict(c: RecordedCase): { stateName: string; outcome: Outcome } {
  const [stateName, state] = Object.entries(c.definition.States).find(([, s]) => s.Type === 'Choice') as [string, ChoiceState];
  const scope = { input: effectiveInput(state, c.input), context: {} };
  try {
    for (let i = 0; i < state.Choices.length; i++) {
      const rule = state.Choices[i];
      if (compileChoiceRule(rule, `/States/${stateName}/Choices/${i}`)(scope)) return { stateName, outcome: { next: rule.Next! } };
    }
  } catch (e) {
    if (e instanceof StatesError) return { stateName, outcome: { error: e.error, cause: e.cause } };
    throw e;
  }
  return {
    stateName,
    outcome: state.Default !== undefined ? { next: state.Default } : { error: StatesErrors.NO_CHOICE_MATCHED },
  };
}

/** The branches whose Pass state yields the recorded output, or the recorded error. */
function recorded(c: RecordedCase): Outcome[] {
  if (c.expected.status !== 'SUCCEEDED') return [{ error: c.expected.error ?? '?', cause: c.expected.cause }];
  return Object.entries(c.definition.States)
    .filter(([, s]) => s.Type === 'Pass' && isDeepStrictEqual((s as { Result?: JsonValue }).Result ?? c.input, c.expected.output))
    .map(([name]) => ({ next: name }));
}

function agrees(predicted: Outcome, expected: Outcome[]): boolean {
  return expected.some((e) => ('next' in e && 'next' in predicted)
    ? e.next === predicted.next
    : 'error' in e && 'error' in predicted && e.error === predicted.error && (e.cause === undefined || e.cause === predicted.cause));
}

describeWithShared('conformance/cases/choice_operators', 'Choice rules agree with the AWS recordings of conformance/cases/choice_operators', () => {
  const cases = loadCases().filter((c) => (c.queryLanguage ?? 'JSONPath') === 'JSONPath');

  it('finds the 264 recorded JSONPath cases', () => {
    expect(cases).toHaveLength(264);
  });

  it('can tell which branch AWS took in every case', () => {
    const ambiguous = cases.filter((c) => recorded(c).length !== 1).map((c) => c.file);
    expect(ambiguous).toEqual([]);
  });

  it.each(cases.map((c) => [c.file.replace(/--.*$/, ''), c] as const))('%s takes the branch AWS took', (_name, c) => {
    const { outcome } = predict(c);
    const expected = recorded(c);
    expect({ agrees: agrees(outcome, expected), outcome }).toEqual({ agrees: true, outcome: expected[0] });
  });
});

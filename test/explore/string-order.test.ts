import { machine, reaching, replays } from './helpers';
import type { AnswerShape, ExploreProof, ExploreReport } from '../../src/explore/report-types';
import type { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';

/*
 * Issue 77: string and timestamp rules in proofs by the flow of values. A value the flow knows to be
 * one of a few strings is compared as the interpreter compares it — JSONPath's String… and
 * Timestamp… rules and StringMatches by asl/choice.ts (its UTF-16 order, its RFC 3339 parse, its
 * pattern), JSONata's `<`, `&`, `in`, `$substring`, `$uppercase`, `$trim`, `$match` and `$toMillis`
 * as JSONata computes them — so a Choice whose string rules the flow decides is proved, each
 * witness run ending where the proof says. And no branch a run can take is claimed closed: an
 * offset that orders timestamps unlike their text, a negative `$substring` start, a string from
 * the input, a fraction finer than a millisecond.
 */

/** JSONPath: a Pass writes a string to $.at, then a Choice rule reads it. */
function jsonPathMachine(rule: object, at: string) {
  return {
    StartAt: 'Set',
    States: {
      Set: { Type: 'Pass', Result: at, ResultPath: '$.at', Next: 'Check' },
      Check: { Type: 'Choice', Choices: [{ Variable: '$.at', ...rule, Next: 'Hit' }], Default: 'Miss' },
      Hit: { Type: 'Succeed' },
      Miss: { Type: 'Succeed' },
    },
  };
}

/** JSONata: one state assigns $stage one of two expressions (the input decides), then a Choice's Condition reads it. */
function jsonataMachine(condition: string, a: string, b: string) {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Set',
    States: {
      Set: { Type: 'Pass', Assign: { stage: `{% $exists($states.input.fast) ? ${a} : ${b} %}` }, Next: 'Check' },
      Check: { Type: 'Choice', Choices: [{ Condition: `{% ${condition} %}`, Next: 'Hit' }], Default: 'Miss' },
      Hit: { Type: 'Succeed' },
      Miss: { Type: 'Succeed' },
    },
  };
}

const CATEGORIES = ['states', 'transitions', 'choiceRules', 'catches', 'retries', 'callbacks'] as const;

function proofsOf(report: ExploreReport): Array<{ goal: string; proof: ExploreProof }> {
  return CATEGORIES.flatMap((c) => Object.entries(report[c].proofs ?? {}).map(([key, proof]) => ({ goal: `${c} ${key}`, proof })));
}

/** Runs every witness of every proof as a test would, and checks each ends where the proof says; the count run. */
async function witnessesHold(wf: Workflow, report: ExploreReport): Promise<number> {
  let ran = 0;
  for (const { goal, proof } of proofsOf(report)) {
    for (const shape of ('shapes' in proof ? proof.shapes ?? [] : []) as AnswerShape[]) {
      if (shape.mocks === undefined) continue;
      const run = await wf.run(shape.input ?? {}, { mocks: mocksFromJson(shape.mocks, goal) });
      const ends = shape.ends;
      if (ends.kind === 'fails') {
        expect({ goal, status: run.status, at: run.path[run.path.length - 1], error: run.error }).toEqual({ goal, status: 'FAILED', at: ends.state, error: ends.error });
      } else {
        expect({ goal, next: run.path[run.path.indexOf(ends.state) + 1] }).toEqual({ goal, next: ends.next });
      }
      ran++;
    }
  }
  return ran;
}

/** Explores `def`, expects it complete with exactly `closed` (states) proved unreachable, and every witness and scenario to run as reported. */
async function provedClosed(def: object, closed: string[]): Promise<ExploreReport> {
  const wf = machine(def);
  const report = await wf.explore();
  for (const c of CATEGORIES) expect(report[c].notReached).toEqual([]);
  expect(report.states.unreachable.map((n) => n.state)).toEqual(closed);
  expect(report.search.complete).toBe(true);
  for (const s of report.scenarios) await replays(wf, s);
  // Every proof is shown by runs explore made, each ending where the proof says.
  expect(await witnessesHold(wf, report)).toBeGreaterThan(0);
  return report;
}

/** Explores `def` and expects both Hit and Miss reached (no claim of either), each scenario running as reported. */
async function bothReached(def: object): Promise<void> {
  const wf = machine(def);
  const report = await wf.explore();
  expect(report.states.unreachable).toEqual([]);
  expect(report.choiceRules.unreachable).toEqual([]);
  await replays(wf, reaching(report, 'states', 'Hit'));
  await replays(wf, reaching(report, 'states', 'Miss'));
}

describe('JSONPath string and timestamp rules over the strings the flow knows', () => {
  it.each([
    ['TimestampLessThan', { TimestampLessThan: '2023-01-01T00:00:00Z' }, '2024-06-01T10:00:00+02:00', 'Hit'],
    ['TimestampGreaterThanEquals', { TimestampGreaterThanEquals: '2023-01-01T00:00:00Z' }, '2023-01-01T01:00:00+01:00', 'Miss'],
    ['TimestampEquals across offsets', { TimestampEquals: '2024-01-01T00:00:00Z' }, '2023-12-31T23:00:00.000-01:00', 'Miss'],
    // 01:00+02:00 is 23:00 the day before: its text sorts after the operand, its instant before it.
    ['an offset that orders the instant unlike the text', { TimestampLessThan: '2024-01-01T00:00:00Z' }, '2024-01-01T01:00:00+02:00', 'Miss'],
    ['a fraction that decides TimestampEquals', { TimestampEquals: '2024-01-01T00:00:00.5Z' }, '2024-01-01T00:00:00.5000001Z', 'Hit'],
    ['Timestamp… on a string that is no timestamp (never true)', { TimestampLessThan: '2023-01-01T00:00:00Z' }, 'yesterday', 'Hit'],
    ['Timestamp… on an impossible date', { TimestampLessThan: '2023-01-01T00:00:00Z' }, '2022-02-30T00:00:00Z', 'Hit'],
    ['IsTimestamp', { IsTimestamp: true }, '2024-01-01T00:00:00.5-05:30', 'Miss'],
    ['IsTimestamp on a lowercase t', { IsTimestamp: true }, '2024-01-01t00:00:00Z', 'Hit'],
    ['StringLessThan (UTF-16 order: digits before letters)', { StringLessThan: '1' }, 'Zulu', 'Hit'],
    ['StringGreaterThan', { StringGreaterThan: 'a' }, 'beta', 'Miss'],
    ['StringGreaterThanEquals', { StringGreaterThanEquals: 'alpha' }, 'alpha', 'Miss'],
    ['StringLessThanEquals, a prefix before the longer string', { StringLessThanEquals: 'ab' }, 'abc', 'Hit'],
    ['StringMatches', { StringMatches: '*-eu' }, 'order-us', 'Hit'],
    ['StringMatches, a pattern that matches', { StringMatches: 'order-*' }, 'order-1', 'Miss'],
    ['StringMatches with an escaped star', { StringMatches: 'a\\*' }, 'ab', 'Hit'],
  ])('%s: the flow decides the rule, and the branch no run takes is proved', async (_name, rule, at, closed) => {
    await provedClosed(jsonPathMachine(rule, at), [closed]);
  });

  it('claims nothing of a string from the input', async () => {
    const def = {
      StartAt: 'Check',
      States: {
        Check: { Type: 'Choice', Choices: [{ Variable: '$.at', TimestampLessThan: '2023-01-01T00:00:00Z', Next: 'Hit' }], Default: 'Miss' },
        Hit: { Type: 'Succeed' },
        Miss: { Type: 'Succeed' },
      },
    };
    await bothReached(def);
  });

  it('decides a …Path rule between two known strings', async () => {
    const def = {
      StartAt: 'Set',
      States: {
        Set: { Type: 'Pass', Result: { start: '2024-01-01T00:00:00Z', end: '2024-01-01T02:00:00+01:00' }, Next: 'Check' },
        Check: { Type: 'Choice', Choices: [{ Variable: '$.end', TimestampLessThanPath: '$.start', Next: 'Hit' }], Default: 'Miss' },
        Hit: { Type: 'Succeed' },
        Miss: { Type: 'Succeed' },
      },
    };
    await provedClosed(def, ['Hit']);
  });
});

describe('JSONata string functions and comparisons over the strings the flow knows', () => {
  it.each([
    ['<', "$stage < 'a'", "'alpha'", "'beta'", 'Hit'],
    ['>=', "$stage >= 'alpha'", "'alpha'", "'beta'", 'Miss'],
    ['&', "$stage = 'x-gamma'", "'x-' & 'alpha'", "'x-' & $string('beta')", 'Hit'],
    ['in', "$stage in ['FAILED', 'CANCELLED']", "'RUNNING'", "'PENDING'", 'Hit'],
    ['$substring', "$substring($stage, 0, 2) = 'ga'", "'alpha'", "'beta'", 'Hit'],
    ['$substringBefore', "$substringBefore($stage, '/') = 'dropship'", "'eu/dublin'", "'us'", 'Hit'],
    ['$uppercase', "$uppercase($stage) = 'alpha'", "'alpha'", "'Beta'", 'Hit'],
    ['$trim', "$trim($stage) = 'a b'", "'  a \t b '", "'a  b'", 'Miss'],
    ['$match', '$exists($match($stage, /^g/))', "'alpha'", "'beta'", 'Hit'],
    ['$toMillis', "$toMillis($stage) < $toMillis('2023-01-01T00:00:00Z')", "'2024-01-01T00:00:00Z'", "'2024-03-01T00:00:00.000+05:00'", 'Hit'],
  ])('%s: the flow decides the Condition, and the branch no run takes is proved', async (_name, condition, a, b, closed) => {
    await provedClosed(jsonataMachine(condition, a, b), [closed]);
  });

  it.each([
    ['a negative $substring start (from the end)', "$substring($stage, -3) = 'pha'", "'alpha'", "'beta'"],
    ['$substring counting code points', "$substring($stage, 1, 1) = 'b'", "'😀b'", "'ba'"],
    ['$uppercase of ß (two letters)', "$uppercase($stage) = 'STRASSE'", "'straße'", "'strase'"],
    ['a fraction finer than a millisecond', "$toMillis($stage) < $toMillis('2024-01-01T00:00:00.001Z')", "'2024-01-01T00:00:00.0009Z'", "'2024-01-01T00:00:00.0011Z'"],
    ['a string from the input', "$stage < 'b'", '$states.input.name', "'beta'"],
    ['in, one string in the list', "$stage in ['FAILED', 'CANCELLED']", "'FAILED'", "'PENDING'"],
    ['$match with one string matching', '$exists($match($stage, /ph/))', "'alpha'", "'beta'"],
  ])('claims nothing where %s', async (_name, condition, a, b) => {
    await bothReached(jsonataMachine(condition, a, b));
  });
});

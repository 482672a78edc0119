import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { StateMachineDefinition } from '../../../src/asl/definition-types';
import { compileStateMachine } from '../../../src/interpreter';
import { mergeCoverageDir } from '../../../src/testing/coverage/merge';
import { RunExercise } from '../../../src/workbench/coverage/exercised';
import { formatCost, formatCoverage } from '../../../src/workbench/coverage/format';
import { addHits, emptyHits, summarize, type MachineCoverage } from '../../../src/workbench/coverage/model';
import { checkCoverageReport } from '../../../src/workbench/coverage/shards';

/**
 * State names are the user's (or a peer's) text: `constructor`, `__proto__` and `toString` are
 * names like any other, and a name with ESC or a line break must not drive the terminal the
 * coverage table is printed to, nor forge a row of it.
 */
// JSON.parse makes `__proto__` an own key, as a file read does (an object literal would set the prototype).
const PROTOTYPE_NAMES = `{
  "StartAt": "constructor",
  "States": {
    "constructor": { "Type": "Choice", "Choices": [{ "Variable": "$.other", "IsPresent": true, "Next": "toString" }], "Default": "__proto__" },
    "__proto__": { "Type": "Pass", "Next": "Done" },
    "toString": { "Type": "Pass", "Next": "Done" },
    "Done": { "Type": "Succeed" }
  }
}`;
const prototypeNames = JSON.parse(PROTOTYPE_NAMES) as StateMachineDefinition;

function definitionWithProtoState(): StateMachineDefinition {
  return JSON.parse(PROTOTYPE_NAMES) as StateMachineDefinition;
}

async function coverageOf(definition: StateMachineDefinition): Promise<MachineCoverage> {
  const result = await compileStateMachine(definition).start({}).result;
  const hits = await new RunExercise(definition).total(result.history);
  return summarize('m1', 'Machine', definition, 1, hits);
}

describe('coverage of states named like Object.prototype\'s keys', () => {
  it('counts a visit of states named constructor and __proto__, and a state named toString as missed', async () => {
    const definition = definitionWithProtoState();
    expect(Object.keys(definition.States)).toEqual(expect.arrayContaining(['__proto__', 'constructor', 'toString']));
    const coverage = await coverageOf(definition);
    expect(coverage.states.hits).toEqual(Object.fromEntries([['__proto__', 1], ['constructor', 1], ['toString', 0], ['Done', 1]]));
    expect(Object.keys(coverage.states.hits).sort()).toEqual(['Done', '__proto__', 'constructor', 'toString']);
    expect(coverage.states.missed).toEqual(['toString']);
    expect(coverage.states).toMatchObject({ covered: 3, total: 4 });
  });

  it('writes a report of such a machine that reads back as it was written', async () => {
    const coverage = await coverageOf(definitionWithProtoState());
    const written = JSON.parse(JSON.stringify({ machines: [coverage], cost: { rows: [], machines: [] } })) as unknown;
    expect(checkCoverageReport(written, 'report.json').machines[0].states).toEqual(coverage.states);
  });

  it('adds hits of a key named __proto__ or constructor as counts', () => {
    const into = emptyHits();
    addHits(into, { states: JSON.parse('{"__proto__": 2, "constructor": 1}') as Record<string, number> });
    addHits(into, { states: JSON.parse('{"__proto__": 3, "constructor": 4}') as Record<string, number> });
    expect(Object.entries(into.states)).toEqual([['__proto__', 5], ['constructor', 5]]);
  });
});

describe('the coverage and cost tables with hostile names', () => {
  const hostile = 'Evil\u001b]0;pwned\u0007\nOrders | 9 | 100/100 100%\u202e';
  const machine = (name: string, missed: string[]): MachineCoverage => {
    const hits = Object.fromEntries(missed.map((m) => [m, 0]));
    const none = { covered: 0, total: 0, missed: [], hits: {} };
    return {
      id: 'abc',
      name,
      runs: 1,
      states: { covered: 0, total: missed.length, missed, hits },
      transitions: none,
      choices: none,
      catches: none,
      retries: none,
      files: [{ file: `a${hostile}.test.ts`, runs: 1, states: { covered: 0, total: 1 }, transitions: { covered: 0, total: 0 }, choices: { covered: 0, total: 0 }, catches: { covered: 0, total: 0 }, retries: { covered: 0, total: 0 } },
        { file: 'b.test.ts', runs: 0, states: { covered: 0, total: 1 }, transitions: { covered: 0, total: 0 }, choices: { covered: 0, total: 0 }, catches: { covered: 0, total: 0 }, retries: { covered: 0, total: 0 } }],
      failedShards: [`shard${hostile}.json`],
    };
  };
  // eslint-disable-next-line no-control-regex -- what must not be printed raw
  const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

  it('prints machine, state, test file and shard names with their control characters escaped, one row each', () => {
    const table = formatCoverage([machine(hostile, [hostile])], { byFile: true });
    expect(table).not.toMatch(RAW);
    const lines = table.split('\n');
    // Title, header, rule, the machine's row, its two files' rows, a blank line, "Never exercised:", the machine, its states.
    expect(lines).toHaveLength(10);
    expect(lines[3]).toContain('Evil\\u001b]0;pwned\\u0007\\nOrders | 9 | 100/100 100%\\u202e');
    expect(lines[9]).toBe('    states: Evil\\u001b]0;pwned\\u0007\\nOrders | 9 | 100/100 100%\\u202e');
  });

  it('prints the cost table\'s test file and machine names escaped, one row each', () => {
    const table = formatCost([{ file: `a${hostile}.test.ts`, machine: hostile, runs: 1, stateTransitions: 2, billedDurationMs: 100, failedShard: hostile }]);
    expect(table).not.toMatch(RAW);
    expect(table.split('\n')).toHaveLength(4);
  });
});

describe('jest\'s per-process coverage files with hostile records', () => {
  it('skips a record whose hits are null or not counts, and counts the others', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stepwright-hostile-cov-'));
    try {
      const lines: unknown[] = [
        { id: 'x', definition: prototypeNames, hits: { states: { Done: 1 } } },
        { id: 'x', hits: null },
        { id: 'x', hits: { states: { Done: 'many', constructor: -3, toString: 1.5, __x: Number.MAX_VALUE } } },
        { id: 'x', hits: { states: 'Done' } },
      ];
      writeFileSync(join(dir, '1-1.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
      const [m] = mergeCoverageDir(dir);
      expect(m.states.hits).toEqual(JSON.parse('{"constructor": 0, "__proto__": 0, "toString": 0, "Done": 1}'));
      expect(m.states).toMatchObject({ covered: 1, total: 4 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a coverage report whose missed items are listed twice', () => {
  it('refuses a state listed twice in missed in place of another never exercised, naming the field', () => {
    const none = { covered: 0, total: 0, missed: [], hits: {} };
    const report = {
      machines: [{
        id: 'abc',
        name: 'Orders',
        runs: 1,
        transitions: none,
        choices: none,
        catches: none,
        retries: none,
        // A and B were never exercised; missed names A twice and leaves B out.
        states: { covered: 1, total: 3, missed: ['A', 'A'], hits: { A: 0, B: 0, C: 1 } },
      }],
      cost: { rows: [], machines: [] },
    };
    expect(() => checkCoverageReport(report, 'shard-1.json')).toThrow(/shard-1\.json: machines\[0\]\.states\.missed must list the items whose hits are 0 \(\["A","B"\]\), got \["A","A"\]/);
  });
});

// The copies of AWS facts that issue 76 gives one home each, counted in src/ by
// scripts/count-fact-homes.mjs (the lint rules of test/fact-homes.test.ts refuse a new literal; this
// keeps the counts no rule can: casts through unknown, untyped records, files naming a run option).
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const SCRIPT = path.join(ROOT, 'scripts', 'count-fact-homes.mjs');

interface Run { readonly code: number; readonly out: string }

function countFactHomes(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], { cwd: ROOT }, (error, stdout) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, out: stdout });
    });
  });
}

describe('the copies of AWS facts in src/', () => {
  it('stay within issue 76\'s ceilings, each figure counted', async () => {
    // One count (each parses all of src/ with TypeScript) prints the lines and writes the JSON.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fact-homes-'));
    try {
      const json = path.join(dir, 'figures.json');
      const run = await countFactHomes('--where', '--json-to', json);
      // The lines the script prints say which figure is over and where each copy is.
      expect(run.out).not.toMatch(/, over\)/);
      expect(run.code).toBe(0);
      const figures = JSON.parse(fs.readFileSync(json, 'utf8')) as Record<string, number>;
      expect(Object.keys(figures).sort()).toEqual([
        'apiErrorLiterals', 'apiErrorStatuses', 'arnTemplates', 'asUnknownAs', 'asUnknownAsUnexplained', 'defaultAccountFiles', 'definitionCasts', 'eventDetailsScans', 'eventTypeLiterals', 'inspectionLevelDefaults', 'limitNumbers', 'limitWords', 'machineTypeDefaults', 'machineTypeUnions', 'mockAdviceFiles', 'modeLists',
        'parameterNameRules', 'partitionDefaults', 'payloadLines', 'queryLanguageDefaults', 'queryLanguageUnions', 'recordStringUnknown', 'reflectGets', 'resourceTextReads', 'seedDefaults', 'statesLiterals', 'statesRuntime',
        'typeParameterCasts', 'typeParameterTypeCasts', 'validationWords',
      ]);
      for (const value of Object.values(figures)) expect(Number.isInteger(value) && value >= 0).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("counts an API error's HTTP status written by hand: a table keyed by the model's errors, a status given to new ApiError", async () => {
    // A src/ of its own: the three files the count reads its names from, and a module that writes
    // the statuses the model holds by hand, as asl/api-errors.ts did before they were generated.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fact-homes-'));
    try {
      fs.mkdirSync(path.join(root, 'src', 'asl'), { recursive: true });
      fs.mkdirSync(path.join(root, 'src', 'server'), { recursive: true });
      for (const file of ['api-errors.generated.ts', 'api-errors.ts', 'history-event-types.ts']) {
        fs.copyFileSync(path.join(ROOT, 'src', 'asl', file), path.join(root, 'src', 'asl', file));
      }
      fs.writeFileSync(path.join(root, 'src', 'server', 'statuses.ts'), [
        "import { ApiErrors } from '../asl/api-errors';",
        'export const STATUS = { [ApiErrors.ConflictException]: 409, ServiceQuotaExceededException: 402, retries: 500 };',
        "export const fault = new ApiError(ApiErrors.InternalFailure, 'down', 500);",
        '',
      ].join('\n'));
      const run = await countFactHomes('--json', '--root', root);
      expect(run.code).toBe(1);
      expect((JSON.parse(run.out) as Record<string, number>).apiErrorStatuses).toBe(3);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("counts TestState's default level written out ('INFO' after ??) and a list of its levels outside asl/aws-defaults.ts", async () => {
    // A src/ of its own: the files the count reads its names from, and a door that defaults the level
    // and lists the levels by hand, as jest's testState, serve and MCP did before they took them from their home.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fact-homes-'));
    try {
      fs.mkdirSync(path.join(root, 'src', 'asl'), { recursive: true });
      fs.mkdirSync(path.join(root, 'src', 'server'), { recursive: true });
      for (const file of ['api-errors.generated.ts', 'api-errors.ts', 'history-event-types.ts', 'aws-defaults.ts']) {
        fs.copyFileSync(path.join(ROOT, 'src', 'asl', file), path.join(root, 'src', 'asl', file));
      }
      fs.writeFileSync(path.join(root, 'src', 'server', 'test-state.ts'), [
        "export const level = (given?: string): string => given ?? 'INFO';",
        "export const levels = ['INFO', 'DEBUG', 'TRACE'];",
        '',
      ].join('\n'));
      const run = await countFactHomes('--json', '--root', root);
      expect(run.code).toBe(1);
      const figures = JSON.parse(run.out) as Record<string, number>;
      expect(figures.inspectionLevelDefaults).toBe(1);
      expect(figures.modeLists).toBe(1);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

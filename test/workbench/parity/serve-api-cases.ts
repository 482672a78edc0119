import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import type { JsonValue } from '../../../src/asl/definition-types';
import { PARITY_CASE_FORMAT, PARITY_CASE_VERSION, type ParityAnswer, type ParityCaseFile } from '../../../src/workbench/parity';
import { sharedPath } from '../../shared-data';

/** The recorded TestState tests of ../shared/serve-api: the snapshot file and the case module that makes their requests. */
export const SERVE_API_TEST_STATE = {
  snapshot: sharedPath('serve-api', 'data', 'snapshots', 'test_state__test_test_state_scenarios.json'),
  cases: sharedPath('serve-api', 'cases', '09-test-state.mjs'),
  templates: sharedPath('serve-api', 'data', 'templates.json'),
};

/**
 * Each TestState request the serve-api case module makes, by test name: its tests are run with a
 * stand-in for the runner that keeps the requests instead of sending them (the module is ESM,
 * so it runs in a node of its own).
 */
function requestsByTest(): Record<string, Record<string, unknown>> {
  const script = `
    const templates = JSON.parse((await import('node:fs')).readFileSync(process.argv[1], 'utf8'));
    const cases = (await import(process.argv[2])).default;
    const out = {};
    for (const [name, test] of Object.entries(cases.tests)) {
      const t = { T: (id) => templates[id], m: async (_key, operation, params) => { if (operation === 'TestState') out[name] = params; } };
      await test(t);
    }
    process.stdout.write(JSON.stringify(out));`;
  const text = execFileSync(process.execPath, ['--input-type=module', '-e', script, SERVE_API_TEST_STATE.templates, SERVE_API_TEST_STATE.cases], { encoding: 'utf8' });
  return JSON.parse(text) as Record<string, Record<string, unknown>>;
}

/**
 * The recorded TestState answers of ../shared/serve-api as parity case files: the request the
 * case module sends (without its role: a Pass, Choice, Succeed or Fail state needs none) and
 * the answer AWS recorded for it.
 */
export function serveApiCaseFiles(): Array<{ name: string; file: ParityCaseFile }> {
  const requests = requestsByTest();
  const snapshots = JSON.parse(fs.readFileSync(SERVE_API_TEST_STATE.snapshot, 'utf8')) as Record<string, { 'recorded-content': Record<string, Record<string, unknown>> }>;
  const out: Array<{ name: string; file: ParityCaseFile }> = [];
  for (const [key, entry] of Object.entries(snapshots)) {
    const name = key.split('::').pop()!;
    const params = requests[name];
    if (!params) throw new Error(`${key}: the case module makes no TestState request for it`);
    const { ResponseMetadata: _metadata, ...recorded } = entry['recorded-content'].test_case_response;
    out.push({
      name,
      file: {
        format: PARITY_CASE_FORMAT,
        version: PARITY_CASE_VERSION,
        title: name,
        against: 'AWS (recorded by LocalStack\'s AWS-validated test suite)',
        request: {
          definition: JSON.parse(params.definition as string),
          stateName: (params.stateName as string | undefined) ?? '',
          input: JSON.parse((params.input as string | undefined) ?? '{}') as JsonValue,
          inspectionLevel: (params.inspectionLevel as 'INFO' | 'DEBUG' | 'TRACE' | undefined) ?? 'INFO',
        },
        aws: recorded as unknown as ParityAnswer,
      },
    });
  }
  return out;
}

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import type { JsonValue } from '../../../src/asl/definition-types';
import { PARITY_CASE_FORMAT, PARITY_CASE_VERSION, type ParityAnswer, type ParityCaseFile, type ParityRequest } from '../../../src/workbench/parity';
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

/** A TestState request as the case module sends it (JSON members as text), as a parity request (JSON values). */
function requestOf(params: Record<string, unknown>): ParityRequest {
  const json = (v: unknown): JsonValue | undefined => (typeof v === 'string' ? JSON.parse(v) as JsonValue : undefined);
  const mock = params.mock as { result?: string; errorOutput?: { error: string; cause?: string }; fieldValidationMode?: 'STRICT' | 'PRESENT' | 'NONE' } | undefined;
  return {
    definition: JSON.parse(params.definition as string),
    stateName: (params.stateName as string | undefined) ?? '',
    input: json(params.input) ?? {},
    inspectionLevel: (params.inspectionLevel as ParityRequest['inspectionLevel'] | undefined) ?? 'INFO',
    ...(mock !== undefined ? {
      mock: {
        ...(mock.result !== undefined ? { result: json(mock.result)! } : {}),
        ...(mock.errorOutput !== undefined ? { errorOutput: mock.errorOutput } : {}),
        ...(mock.fieldValidationMode !== undefined ? { fieldValidationMode: mock.fieldValidationMode } : {}),
      },
    } : {}),
    ...(params.context !== undefined ? { context: json(params.context) as ParityRequest['context'] } : {}),
    ...(params.variables !== undefined ? { variables: json(params.variables) as ParityRequest['variables'] } : {}),
    ...(params.stateConfiguration !== undefined ? { stateConfiguration: params.stateConfiguration as ParityRequest['stateConfiguration'] } : {}),
  };
}

/**
 * The recorded TestState answers of ../shared/serve-api as parity case files: the request the
 * case module sends (without its role: parity sends none, and a state tested with a mock, or one
 * that calls nothing, needs none) and the answer AWS recorded for it.
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
    // A refusal is recorded as botocore reports it: { Error: { Code, Message }, message }.
    const error = recorded.Error as { Code?: string; Message?: string } | undefined;
    const aws = error?.Code !== undefined ? { refused: { type: error.Code, message: error.Message ?? '' } } : recorded;
    out.push({
      name,
      file: {
        format: PARITY_CASE_FORMAT,
        version: PARITY_CASE_VERSION,
        title: name,
        against: 'AWS (recorded by LocalStack\'s AWS-validated test suite)',
        request: requestOf(params),
        aws: aws as unknown as ParityAnswer,
      },
    });
  }
  return out;
}

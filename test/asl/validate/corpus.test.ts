import * as fs from 'fs';
import * as path from 'path';
import { validateDefinition } from '../../../src/asl/validate';
import { describeWithShared, sharedPath } from '../../shared-data';

// The shared validation corpus and the AWS-recorded conformance definitions:
// the validator must accept everything AWS accepted and reject the invalid fixtures.
const VALIDATION = sharedPath('validation');
const CONFORMANCE = sharedPath('conformance', 'cases');
const errorsOf = (def: unknown, type?: 'STANDARD' | 'EXPRESS') => validateDefinition(def, { type }).filter((f) => f.severity === 'error');
const readJson = (p: string) => JSON.parse(fs.readFileSync(p, 'utf8'));

/** Fixtures whose upstream rule AWS is not known to enforce; the validator deliberately accepts them. */
const SPEC_QUESTIONABLE_ACCEPTED = new Set(['spec-questionable']);

describeWithShared('validation', 'validation corpus', () => {
  const expected: Record<string, { expect: string; reason?: string; tags?: string[] }> = readJson(path.join(VALIDATION, 'fixtures', 'expected.json')).fixtures;
  const entries = Object.entries(expected);
  const valid = entries.filter(([, m]) => m.expect === 'valid').map(([k]) => [k] as [string]);
  const invalid = entries.filter(([, m]) => m.expect === 'invalid' && !(m.tags ?? []).some((t) => SPEC_QUESTIONABLE_ACCEPTED.has(t))).map(([k, m]) => [k, m.reason ?? ''] as [string, string]);

  it.each(valid)('accepts the valid fixture %s', (file) => {
    expect(errorsOf(readJson(path.join(VALIDATION, 'fixtures', file)))).toEqual([]);
  });

  it.each(invalid)('rejects the invalid fixture %s (%s)', (file) => {
    expect(errorsOf(readJson(path.join(VALIDATION, 'fixtures', file))).length).toBeGreaterThan(0);
  });

  const realworld = fs.readdirSync(path.join(VALIDATION, 'realworld')).filter((f) => f.endsWith('.asl.json'));
  it.each(realworld.filter((f) => f !== 'shared-fallback-state-jsonata.asl.json').map((f) => [f]))('accepts the real-world definition %s', (file) => {
    expect(errorsOf(readJson(path.join(VALIDATION, 'realworld', file)))).toEqual([]);
  });

  it('rejects shared-fallback-state-jsonata, saying QueryLanguage belongs at the top level and not in States', () => {
    const errors = errorsOf(readJson(path.join(VALIDATION, 'realworld', 'shared-fallback-state-jsonata.asl.json')));
    expect(errors[0]).toMatchObject({ code: 'SCHEMA_VALIDATION_FAILED', location: '/States/QueryLanguage' });
    expect(errors[0].message).toMatch(/move "QueryLanguage": "JSONata" out of States to the top level/);
  });
});

describeWithShared('conformance/cases', 'definitions AWS ran (conformance recordings)', () => {
  const cases: Array<{ file: string; category: string }> = readJson(path.join(CONFORMANCE, 'INDEX.json')).cases;
  it.each(cases.map((c) => [c.file, c.category]))('accepts %s', (file, category) => {
    const recorded = readJson(path.join(CONFORMANCE, file));
    if (!recorded.definition) return;
    // Placeholders the recording could not resolve (an activity ARN) become a real-looking ARN.
    let text = JSON.stringify(recorded.definition);
    for (const p of recorded.resolvedPlaceholders ?? []) {
      if (typeof p.value === 'string' && !p.value.startsWith('arn:')) text = text.split(JSON.stringify(p.value)).join('"arn:aws:states:us-east-1:111111111111:activity:placeholder"');
    }
    expect(errorsOf(JSON.parse(text), category === 'express' ? 'EXPRESS' : 'STANDARD')).toEqual([]);
  });
});

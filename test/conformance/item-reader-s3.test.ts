import { canonicalValue, loadCases, runRecordedCase } from './recorded-run';
import type { JsonValue } from '../../src/asl/definition-types';
import { describeWithShared, sharedPath } from '../shared-data';

/*
 * The recorded cases whose Map reads S3 objects with an ItemReader run with those objects in
 * a local S3 (recorded-run.ts: s3Store), read and parsed as the Map reads any local S3: no
 * mock stands for the ItemReader. Each must end as AWS recorded it.
 */
const CASES_DIR = sharedPath('conformance', 'cases');

/**
 * A listed object's Etag and LastModified as LocalStack's recording replaced them: `<Etag-<key>>`,
 * `<date>`. The recording replaced LastModified by its key, whatever its type; its value is epoch
 * seconds, a number, as the developer guide shows it (ItemReader (Map): `"LastModified": 1668699881`).
 */
function asRecorded(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(asRecorded);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, JsonValue> = { ...v };
  if (typeof out.Etag === 'string' && /^"[0-9a-f]{32}"$/.test(out.Etag) && typeof out.Key === 'string') out.Etag = `<Etag-${out.Key}>`;
  if (typeof out.LastModified === 'number' && Number.isInteger(out.LastModified) && out.LastModified > 0) out.LastModified = '<date>';
  return out;
}

describeWithShared('conformance/cases', 'ItemReader cases read from the local S3', () => {
  const cases = loadCases(CASES_DIR, (c) => (c.fixtures?.s3Objects?.length ?? 0) > 0);

  it('finds the recorded ItemReader cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases.map((c) => [c.file, c] as const))('%s ends as AWS recorded it, reading its items from the local S3', async (_file, c) => {
    const result = await runRecordedCase(c);
    expect(result.status).toBe(c.expected.status);
    if (c.expected.status === 'SUCCEEDED') expect(asRecorded(canonicalValue(result.output!))).toEqual(canonicalValue(c.expected.output!));
    else expect(result.error).toBe(c.expected.error);
  });
});

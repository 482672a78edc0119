// The error extracts (botocore's and the SDK v3 clients') are committed as gzip'd JSON with a digest of
// their content, so a hand edit is caught by test/contracts/tables.test.ts. Both extractors write and
// read them the same way, here.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

/** sha256 of a value as JSON: the digest an extract records of its `services`. */
export function contentDigest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

export function readGzJson<T>(file: string): T {
  return JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf-8')) as T;
}

export function writeGzJson(value: unknown, file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, zlib.gzipSync(`${JSON.stringify(value)}\n`, { level: 9 }));
}

import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The data kept beside the clone in ../shared (AWS-recorded executions, the
 * validator corpus, CDK-synthesized templates). It is not part of the
 * repository, so a fresh clone may not have it.
 */
export const SHARED_DIR = path.resolve(__dirname, '..', '..', 'shared');

/** A path inside ../shared. */
export function sharedPath(...parts: string[]): string {
  return path.join(SHARED_DIR, ...parts);
}

/** True when ../shared/<part> exists. */
export function hasShared(...parts: string[]): boolean {
  return fs.existsSync(sharedPath(...parts));
}

/**
 * `describe` for tests that read ../shared/<part>. When it is absent the body
 * is never called (it would read the missing files while jest collects tests):
 * the block holds one skipped test, and one line on stderr says why. CI sets
 * STEPWRIGHT_REQUIRE_SHARED=1, where an absent folder fails instead, so a
 * broken checkout cannot pass by skipping.
 */
export function describeWithShared(part: string, title: string, body: () => void): void {
  if (hasShared(part)) {
    describe(title, body);
    return;
  }
  const where = sharedPath(part);
  if (process.env.STEPWRIGHT_REQUIRE_SHARED === '1') {
    describe(title, () => {
      it(`needs ${where}`, () => {
        throw new Error(`${where} is absent, and STEPWRIGHT_REQUIRE_SHARED=1 says it must be there`);
      });
    });
    return;
  }
  process.stderr.write(`skipped "${title}": ${where} is absent (it holds data kept beside the clone, not in it)\n`);
  describe.skip(title, () => {
    it(`reads ${where}, which is absent`, () => undefined);
  });
}

/**
 * `it` for one test that reads ../shared/<part>, inside a block that needs
 * nothing else from there: the same skip line, or the same failure under
 * STEPWRIGHT_REQUIRE_SHARED=1, as {@link describeWithShared}.
 */
export function itWithShared(part: string, title: string, body: () => unknown, timeout?: number): void {
  if (hasShared(part)) {
    it(title, body as () => Promise<unknown>, timeout);
    return;
  }
  const where = sharedPath(part);
  if (process.env.STEPWRIGHT_REQUIRE_SHARED === '1') {
    it(title, () => {
      throw new Error(`${where} is absent, and STEPWRIGHT_REQUIRE_SHARED=1 says it must be there`);
    });
    return;
  }
  process.stderr.write(`skipped "${title}": ${where} is absent (it holds data kept beside the clone, not in it)\n`);
  it.skip(title, () => undefined);
}

import * as path from 'node:path';
import { MARK, markOptionalPeerImports, OPTIONAL_PEERS, type DeclarationChecks } from './declarations-check';
import { inThread } from './in-thread';

describe('the declarations users compile against', () => {
  // `cdk init` and TypeScript's own default is skipLibCheck: false: a consumer's tsc then checks
  // every .d.ts its imports reach, and a declaration that refers to one stripInternal removed
  // breaks their build (as the getting-started app of every earlier release compiles:
  // scripts/consumer-check.sh does the same with the packed tarball, in CI only).
  // In a worker thread: the programs hold over a gigabyte, which then leaves with the thread.
  let checks: DeclarationChecks;
  beforeAll(async () => {
    checks = await inThread<DeclarationChecks>(path.join(__dirname, 'declarations-check.ts'), 'checkDeclarations', []);
  }, 600_000); // 40-60 s alone: it type-checks the declarations twice, and all of src/ to emit them when lib/ is not up to date

  it('type-check with skipLibCheck: false from each entry point of package.json, as a new CDK app compiles them', () => {
    expect(checks.missingEntries).toEqual([]);
    expect(checks.problems).toEqual([]);
  });

  it('type-check with skipLibCheck: false in an app that has none of the optional peers (the AWS SDK clients, the MCP SDK, zod)', () => {
    expect(OPTIONAL_PEERS).toEqual(expect.arrayContaining(['@aws-sdk/client-sfn', '@modelcontextprotocol/sdk', 'zod']));
    // The case is not vacuous: the declarations do import an optional peer's types.
    expect(checks.importsAnOptionalPeer).toBe(true);
    expect(checks.problemsWithoutOptionalPeers).toEqual([]);
  });

  it('fails the build when a declaration names an optional peer other than by a top-level import', () => {
    expect(() => markOptionalPeerImports("export declare function f(): import('zod').ZodType;\n", ['zod'], 'lib/x.d.ts'))
      .toThrow(/lib\/x\.d\.ts: 'import\('zod'\)' needs an optional peer dependency/);
    expect(markOptionalPeerImports("import type {\n  A,\n  B } from 'zod/v4';\n", ['zod'], 'lib/x.d.ts'))
      .toBe(`${MARK}\nimport type { A, B } from 'zod/v4';\n`);
  });
});

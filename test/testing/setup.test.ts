import { runSerializer } from '../../src/testing/serializer';

/** What setup is given as a runner's expect: it records what is installed into it. */
function fakeExpect() {
  const installed: { matchers: string[]; serializers: unknown[] } = { matchers: [], serializers: [] };
  return {
    installed,
    expect: {
      extend: (m: object) => { installed.matchers.push(...Object.keys(m)); },
      addSnapshotSerializer: (s: unknown) => { installed.serializers.push(s); },
      getState: () => ({}),
    },
  };
}

/** A run as wf.run returns it, enough for the serializer. */
const RUN = { status: 'SUCCEEDED', path: ['A'], history: [], executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e', output: { ok: true } };

/** The one serializer installed is stepwright's: it prints a run as runSerializer does (setup loads its own copy of the module). */
function expectRunSerializer(serializers: unknown[]): void {
  expect(serializers).toHaveLength(1);
  const installed = serializers[0] as typeof runSerializer;
  expect(installed.test(RUN)).toBe(true);
  expect(installed.serialize(RUN)).toBe(runSerializer.serialize(RUN));
}

type Globals = { __vitest_index__?: unknown; expect?: unknown; afterAll?: unknown };

/** Loads src/testing/setup.ts afresh with these globals in place of jest's, then puts jest's back. */
function loadSetup(globals: Globals): void {
  const g = globalThis as unknown as Globals;
  const saved = { expect: g.expect, afterAll: g.afterAll };
  g.expect = globals.expect;
  g.afterAll = globals.afterAll;
  if (globals.__vitest_index__) Object.defineProperty(g, '__vitest_index__', { value: globals.__vitest_index__, configurable: true });
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    jest.isolateModules(() => { require('../../src/testing/setup'); });
  } finally {
    g.expect = saved.expect;
    g.afterAll = saved.afterAll;
    delete g.__vitest_index__;
  }
}

describe('stepwright/testing/setup', () => {
  it('installs the matchers and the run serializer into jest\'s global expect (setupFilesAfterEnv)', () => {
    const jestSide = fakeExpect();
    const hooks: unknown[] = [];
    loadSetup({ expect: jestSide.expect, afterAll: (fn: unknown) => hooks.push(fn) });
    expect(jestSide.installed.matchers).toEqual(expect.arrayContaining(['toSucceed', 'toFail', 'toHavePath', 'toHaveRetried']));
    expectRunSerializer(jestSide.installed.serializers);
    expect(hooks).toHaveLength(1);
  });

  it("installs them into vitest's expect, read from vitest's worker, without vitest's globals (setupFiles)", () => {
    const vitestSide = fakeExpect();
    const hooks: unknown[] = [];
    loadSetup({ __vitest_index__: { expect: vitestSide.expect, afterAll: (fn: unknown) => hooks.push(fn) } });
    expect(vitestSide.installed.matchers).toEqual(expect.arrayContaining(['toSucceed', 'toFail', 'toHavePath', 'toHaveRetried']));
    expectRunSerializer(vitestSide.installed.serializers);
    expect(hooks).toHaveLength(1);
  });

  it("prefers vitest's expect when vitest's globals also put an expect on globalThis", () => {
    const vitestSide = fakeExpect();
    const globalSide = fakeExpect();
    loadSetup({ __vitest_index__: { expect: vitestSide.expect }, expect: globalSide.expect });
    expect(vitestSide.installed.serializers).toHaveLength(1);
    expect(globalSide.installed.serializers).toHaveLength(0);
  });

  it('fails under neither runner, naming where each runner lists it', () => {
    expect(() => loadSetup({})).toThrow("stepwright/testing/setup must run inside jest or vitest: list it in jest's 'setupFilesAfterEnv' or in vitest's 'test.setupFiles'");
  });
});

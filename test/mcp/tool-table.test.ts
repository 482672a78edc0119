import { CALLS } from '../../src/mcp/calls';
import { TOOLS } from '../../src/mcp/tools';

// A tool is one entry in tools.ts (its schemas, read by the thread that speaks MCP) and one in
// calls.ts (what it does, run in a worker): the two tables must name the same tools.
describe('the tool table', () => {
  it('has a call for every tool and a tool for every call', () => {
    expect(TOOLS.map((t) => t.name).sort()).toEqual([...CALLS.keys()].sort());
  });

  it('names only fields a tool takes among its path fields and its one-of rules', () => {
    const unknown = TOOLS.flatMap((t) => [...t.pathFields, ...t.oneOf.flatMap((r) => r.fields)]
      .filter((f) => !Object.hasOwn(t.input.shape, f)).map((f) => `${t.name}.${f}`));
    expect(unknown).toEqual([]);
  });
});

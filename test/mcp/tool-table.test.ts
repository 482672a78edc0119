import { z } from 'zod';
import { callTool } from '../../src/mcp/calls';
import type { ToolSpec } from '../../src/mcp/tool-fields';
import { TOOLS, type ToolArgs } from '../../src/mcp/tools';

// A tool is one entry in tools.ts (its schemas, read by the thread that speaks MCP) and one case in
// calls.ts (what it does, run in a worker), whose arguments are what its schema parses them to.
describe('the tool table', () => {
  it('has a call for every tool, reached through the tool\'s own schema, and none for another name', () => {
    for (const t of TOOLS) expect(() => callTool(t.name, { notAField: 1 })).toThrow(z.ZodError);
    expect(() => callTool('no_such_tool', {})).toThrow("no tool 'no_such_tool'");
  });

  it('names only fields a tool takes among its path fields and its one-of rules', () => {
    const unknown = TOOLS.flatMap((t) => [...t.pathFields, ...t.oneOf.flatMap((r) => r.fields)]
      .filter((f) => !Object.hasOwn(t.input.shape, f)).map((f) => `${t.name}.${f}`));
    expect(unknown).toEqual([]);
  });

  it('types a call\'s arguments by its schema: a field it does not take does not compile', () => {
    const args: ToolArgs<'run'> = { file: 'm.asl.json', mocksFile: 'mocks.json', unmocked: 'input', limits: { maxTransitions: 10 } };
    // @ts-expect-error -- the run tool has no field 'mockFile'
    const misspelled: ToolArgs<'run'> = { mockFile: 'mocks.json' };
    // @ts-expect-error -- unmocked is 'error' or 'input'
    const wrongValue: ToolArgs<'run'> = { unmocked: 'echo' };
    const run = TOOLS[1];
    // @ts-expect-error -- a path field must be a field of the tool's input
    const wrongPath: ToolSpec<'run', typeof run.input> = { ...run, pathFields: ['mockFile'] };
    expect([args.file, misspelled, wrongValue, wrongPath.name]).toEqual(['m.asl.json', { mockFile: 'mocks.json' }, { unmocked: 'echo' }, 'run']);
  });
});

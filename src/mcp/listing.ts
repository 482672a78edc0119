/*
 * What tools/list answers, made from the tools' zod schemas: written ahead into tool-listing.json
 * (`npx projen mcp:listing`), which the session's front answers with before zod is loaded;
 * test/mcp/front.test.ts checks that the file is what this makes.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ToolSpec } from './tool-fields';

/** The listing of `tools`, as tools/list answers it. @internal */
export function toolListing(tools: readonly ToolSpec[]): Tool[] {
  return tools.map((t) => {
    const { $schema: _ignored, ...input } = z.toJSONSchema(t.input, { target: 'draft-7', io: 'input' });
    return {
      name: t.name,
      title: t.title,
      description: t.description,
      inputSchema: input as Tool['inputSchema'],
      outputSchema: t.output,
      // Nothing is written and the same input gives the same answer, but by a tool given a folder to write (run's s3Dir):
      // a PutObject replaces a file there, a DeleteObject removes one, and the next run reads what this one wrote.
      // Only an open-world tool (parity) may call an endpoint.
      annotations: {
        title: t.title,
        readOnlyHint: t.writes === undefined,
        destructiveHint: t.writes !== undefined,
        idempotentHint: t.writes === undefined,
        openWorldHint: t.openWorld === true,
      },
    };
  });
}

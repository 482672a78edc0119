// Writes src/mcp/tool-listing.json: the tools/list answer the tools' zod schemas make and the MCP
// protocol versions the pinned SDK supports (the latest first), which `stepwright mcp` answers its
// client's first requests with before it loads the SDK and zod (src/mcp/front.ts).
//   npx projen mcp:listing
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { toolListing } from '../src/mcp/listing';
import { TOOLS } from '../src/mcp/tools';

const file = path.join(__dirname, '..', 'src', 'mcp', 'tool-listing.json');
const listing = { protocolVersions: SUPPORTED_PROTOCOL_VERSIONS, tools: toolListing(TOOLS) };
// One tool a line: a change to a tool is a change to its line.
fs.writeFileSync(file, `{"protocolVersions":${JSON.stringify(listing.protocolVersions)},"tools":[\n${listing.tools.map((t) => JSON.stringify(t)).join(',\n')}\n]}\n`);
console.log(`wrote ${path.relative(process.cwd(), file)}: ${listing.tools.length} tools`);

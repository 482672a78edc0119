// Bundles the serve console's front end (console/app) into lib/console, which ships with lib/:
// one script and one style sheet, no module loaded at run time and nothing fetched from the network.
//   node scripts/build-console.mjs
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'lib', 'console');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: join(root, 'console', 'app', 'main.ts'), style: join(root, 'console', 'app', 'console.css') },
  outdir: out,
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  legalComments: 'none',
  logLevel: 'warning',
});

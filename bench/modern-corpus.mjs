// The modern corpus (bench/modern-corpus/*.ts): JSONata-first state machines built with stepwright's
// builders in a CDK app. `synthModernCorpus(outdir)` bundles the app with esbuild, runs it against the
// compiled library (`stepwright` resolves to lib/ through the package's own exports, as in a user's
// app) and synthesizes one template per stack into `outdir`.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const entry = path.join(here, 'modern-corpus', 'app.ts');

/** Synthesizes the corpus into `outdir` (created); returns the template files, one per stack. */
export function synthModernCorpus(outdir) {
  // Resolved from the app's own folder: aws-cdk-lib from the repository's node_modules, stepwright from lib/.
  const require = createRequire(entry);
  const esbuild = require('esbuild');
  const built = esbuild.buildSync({
    entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'warning',
    external: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'stepwright'],
  });
  const module = { exports: {} };
  // eslint-disable-next-line no-new-func -- the bundle is the corpus's own code, run with the app's require
  new Function('module', 'exports', 'require', built.outputFiles[0].text)(module, module.exports, require);
  fs.mkdirSync(outdir, { recursive: true });
  const { app, stacks } = module.exports.modernCorpus(outdir);
  app.synth();
  return stacks.map((s) => path.join(outdir, `${s.artifactId}.template.json`));
}

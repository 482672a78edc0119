// Generates API.md, the one-file reference of stepwright's public API, from the TSDoc of
// its entry points. typedoc (with typedoc-plugin-markdown) writes one page per entry
// point into a scratch folder; this joins them in entry-point order.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ENTRY_POINTS = [
  ['stepwright', 'src/index.ts'],
  ['stepwright/interpreter', 'src/interpreter/index.ts'],
  ['stepwright/testing', 'src/testing/index.ts'],
  ['stepwright/server', 'src/server/index.ts'],
];

const out = mkdtempSync(join(tmpdir(), 'stepwright-api-'));
try {
  // One typedoc run over every entry point: each run type-checks the whole program, so four
  // runs cost four times one. With `--router module` it writes a page per entry point, named
  // after the entry's file (src/index.ts -> index.md, src/testing/index.ts -> testing.md).
  execFileSync(process.execPath, [
    'node_modules/typedoc/bin/typedoc',
    '--plugin', 'typedoc-plugin-markdown',
    ...ENTRY_POINTS.flatMap(([, entry]) => ['--entryPoints', entry]),
    '--tsconfig', 'tsconfig.json',
    '--out', out,
    '--router', 'module',
    '--excludeExternals', '--excludePrivate', '--excludeInternal',
    '--readme', 'none',
    '--hidePageHeader', '--hideBreadcrumbs', '--hidePageTitle',
    '--disableSources',
    '--logLevel', 'Warn',
    '--name', 'stepwright',
    // The type check typedoc runs first is one the build has just made: docgen runs as post-compile,
    // after `tsc --build` over this same tsconfig.json, and CI's test step type-checks src/ too. It
    // was 40% of this step's CPU, on one core on CI's critical path (45.6 s of CPU with it, 27.9 s
    // without, measured on the same tree). The documentation is the same but for the order of some
    // unions' members, which TypeScript lists in the order it first met each one: a check that does
    // not visit every file first meets them elsewhere. Either order is the same on every run.
    '--skipErrorChecking',
  ], { stdio: 'inherit' });
  const sections = ['# API Reference', '', 'Generated from the TSDoc of the sources by `npx projen docgen`; do not edit by hand.', ''];
  for (const [name, entry] of ENTRY_POINTS) {
    const page = `${entry === 'src/index.ts' ? 'index' : entry.split('/')[1]}.md`;
    const text = readFileSync(join(out, page), 'utf8')
      // Links to another entry point's page become links within API.md.
      .replace(/\]\(([^)]*\.md)?#/g, '](#')
      .replace(/^(#+) /gm, (_, h) => `${'#'.repeat(Math.min(6, h.length + 1))} `);
    sections.push(`## \`${name}\``, '', text.trim(), '');
  }
  writeFileSync('API.md', sections.join('\n').replace(/\n{3,}/g, '\n\n'));
} finally {
  rmSync(out, { recursive: true, force: true });
}

// Generates API.md, the one-file reference of stepwright's public API, from the TSDoc of
// its entry points. typedoc (with typedoc-plugin-markdown) writes one page per entry
// point into a scratch folder; this joins them in entry-point order.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
  const sections = ['# API Reference', '', 'Generated from the TSDoc of the sources by `npx projen docgen`; do not edit by hand.', ''];
  for (const [name, entry] of ENTRY_POINTS) {
    const dir = join(out, name.replace('/', '_'));
    execFileSync(process.execPath, [
      'node_modules/typedoc/bin/typedoc',
      '--plugin', 'typedoc-plugin-markdown',
      '--entryPoints', entry,
      '--tsconfig', 'tsconfig.json',
      '--out', dir,
      '--router', 'module',
      '--excludeExternals', '--excludePrivate', '--excludeInternal',
      '--readme', 'none',
      '--hidePageHeader', '--hideBreadcrumbs', '--hidePageTitle',
      '--disableSources',
      '--logLevel', 'Warn',
      '--name', name,
    ], { stdio: 'inherit' });
    const files = readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.md')).sort();
    sections.push(`## \`${name}\``, '');
    for (const f of files) {
      const text = readFileSync(join(dir, String(f)), 'utf8')
        .replace(/\]\(([^)]*\.md)?#/g, '](#')
        .replace(/^(#+) /gm, (_, h) => `${'#'.repeat(Math.min(6, h.length + 1))} `);
      sections.push(text.trim(), '');
    }
  }
  writeFileSync('API.md', sections.join('\n').replace(/\n{3,}/g, '\n\n'));
} finally {
  rmSync(out, { recursive: true, force: true });
}

import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');

/**
 * How a code block is checked, from the `<!-- check: <kind> [argument] -->`
 * comment on the nearest non-blank line above its fence (invisible once rendered).
 */
export type CheckKind = 'file' | 'excerpt' | 'typecheck' | 'cli' | 'run' | 'ci' | 'output' | 'json' | 'mermaid' | 'none';
const KINDS: readonly CheckKind[] = ['file', 'excerpt', 'typecheck', 'cli', 'run', 'ci', 'output', 'json', 'mermaid', 'none'];

export interface CodeBlock {
  /** The Markdown file, relative to the root (`docs/testing.md`). */
  readonly doc: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The fence's info string (`ts`, `sh`, ... or '' for none). */
  readonly lang: string;
  readonly code: string;
  /** The check the block's marker asks for, or the default for its language, or undefined (then the block fails). */
  readonly check: CheckKind | undefined;
  /** The marker's argument: a file, a context, a reason. */
  readonly argument: string;
  /** A marker comment that names no known check. */
  readonly badMarker?: string;
}

export interface Link {
  readonly doc: string;
  readonly line: number;
  readonly target: string;
}

export interface ParsedDoc {
  readonly doc: string;
  readonly text: string;
  readonly blocks: CodeBlock[];
  readonly links: Link[];
  /** GitHub's anchors for the headings. */
  readonly anchors: Set<string>;
}

/** What a block is checked with when it carries no marker. */
const DEFAULT_CHECK: Record<string, CheckKind> = { ts: 'typecheck', js: 'typecheck', sh: 'cli', json: 'json' };

/** README.md and every guide under docs/. */
export function docFiles(): string[] {
  const guides = fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`);
  return ['README.md', ...guides];
}

export function parseDoc(doc: string): ParsedDoc {
  const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  const links: Link[] = [];
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(```+)(.*)$/.exec(lines[i]);
    if (fence) {
      const close = lines.findIndex((l, j) => j > i && l.startsWith(fence[1]) && l.trim() === fence[1]);
      if (close < 0) throw new Error(`${doc}:${i + 1}: a code fence that is never closed`);
      const lang = fence[2].trim();
      let above = i - 1;
      // Blank lines and other HTML comments (the diagram's markers) may stand between the marker and the fence.
      while (above >= 0 && (lines[above].trim() === '' || /^<!--(?! check:).*-->$/.test(lines[above].trim()))) above--;
      const marker = above >= 0 ? /^<!-- check: (\S+)\s*(.*?)\s*-->$/.exec(lines[above].trim()) : null;
      const kind = marker?.[1] as CheckKind | undefined;
      const known = kind !== undefined && KINDS.includes(kind);
      blocks.push({
        doc,
        line: i + 1,
        lang,
        code: lines.slice(i + 1, close).join('\n'),
        check: marker ? (known ? kind : undefined) : DEFAULT_CHECK[lang],
        argument: marker?.[2] ?? '',
        ...(marker && !known ? { badMarker: lines[above].trim() } : {}),
      });
      i = close;
      continue;
    }
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(lines[i]);
    if (heading) {
      const base = slug(heading[1]);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    // Links outside inline code: [text](target), not images' data or absolute URLs.
    const prose = lines[i].replace(/`[^`]*`/g, '');
    for (const m of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) links.push({ doc, line: i + 1, target: m[1] });
  }
  return { doc, text, blocks, links, anchors };
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  const plain = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links keep their text
    .replace(/<[^>]+>/g, '') // inline HTML
    .replace(/[`*]/g, '');
  return plain.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** Where a block is, for messages: `docs/testing.md:42 (ts)`. */
export function where(block: CodeBlock): string {
  return `${block.doc}:${block.line} (${block.lang || 'no language'})`;
}

/**
 * Lines of `block` (split into chunks at `// ...` or `# ...` lines) that do not
 * appear in `file` in order; each chunk must be a run of consecutive lines of
 * the file, compared without their indentation.
 */
export function missingExcerpt(block: string, file: string): string | undefined {
  const fileLines = file.split('\n').map((l) => l.trim());
  const chunks: string[][] = [[]];
  for (const line of block.split('\n')) {
    if (/^\s*(\/\/|#)\s*(\.\.\.|…)\s*$/.test(line)) chunks.push([]);
    else chunks[chunks.length - 1].push(line.trim());
  }
  let from = 0;
  for (const chunk of chunks) {
    while (chunk.length && chunk[0] === '') chunk.shift();
    while (chunk.length && chunk[chunk.length - 1] === '') chunk.pop();
    if (chunk.length === 0) continue;
    let at = -1;
    for (let i = from; i + chunk.length <= fileLines.length && at < 0; i++) {
      if (chunk.every((l, k) => fileLines[i + k] === l)) at = i;
    }
    if (at < 0) return chunk.join('\n');
    from = at + chunk.length;
  }
  return undefined;
}

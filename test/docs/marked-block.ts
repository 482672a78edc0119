import * as fs from 'node:fs';

/** A guide's block a test generates, between two HTML comments that mark it. */
export interface MarkedBlock {
  readonly guide: string;
  readonly start: string;
  readonly end: string;
}

/** The block as the guide holds it between its markers (trimmed), or undefined when the markers are missing. */
export function committedBlock(block: MarkedBlock, text = fs.readFileSync(block.guide, 'utf8')): string | undefined {
  const start = text.indexOf(block.start);
  const end = text.indexOf(block.end);
  if (start < 0 || end < start) return undefined;
  return text.slice(start + block.start.length, end).trim();
}

/** Writes `body` into the guide between the block's markers. */
export function writeBlock(block: MarkedBlock, body: string): void {
  const text = fs.readFileSync(block.guide, 'utf8');
  const start = text.indexOf(block.start);
  const end = text.indexOf(block.end);
  if (start < 0 || end < start) throw new Error(`${block.guide} has no ${block.start} ... ${block.end} markers`);
  fs.writeFileSync(block.guide, `${text.slice(0, start + block.start.length)}\n${body}\n${text.slice(end)}`);
}

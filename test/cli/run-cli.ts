import { Writable } from 'node:stream';
import { main } from '../../src/cli/cli';

/** What one command line printed and the code it exited with. */
export interface CliOutcome {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** A stream that keeps what is written to it. */
export function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { chunks.push(String(chunk)); done(); } });
  return { stream, text: () => chunks.join('') };
}

/** Runs `stepwright <args>` in-process, as the shell would, and keeps its output. */
export async function cli(...args: string[]): Promise<CliOutcome> {
  const out = sink();
  const err = sink();
  const code = await main(args, out.stream, err.stream);
  return { code, out: out.text(), err: err.text() };
}

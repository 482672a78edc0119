import { Writable } from 'node:stream';
import { main } from '../../src/cli/cli';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { chunks.push(String(chunk)); done(); } });
  return { stream, text: () => chunks.join('') };
}

describe('stepwright command line', () => {
  it('prints usage and exits 0 on --help', async () => {
    const out = capture();
    expect(await main(['--help'], out.stream)).toBe(0);
    expect(out.text()).toContain('Usage: stepwright');
  });

  it('exits 2 and prints usage when no command is given', async () => {
    const out = capture();
    expect(await main([], out.stream)).toBe(2);
    expect(out.text()).toContain('Usage: stepwright');
  });

  it('names an unknown command and exits 2', async () => {
    const out = capture();
    expect(await main(['frobnicate'], out.stream)).toBe(2);
    expect(out.text()).toContain("unknown command 'frobnicate'");
  });
});

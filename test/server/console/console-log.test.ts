import { consoleToken } from './console-helpers';
import { raw, serve } from '../helpers';

describe('serve console: --verbose', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => { s = await serve({ verbose: true }); });
  afterAll(() => s.stop());

  /** The log lines that name `path`, once the server has written them (after the answer). */
  const linesOf = async (path: string): Promise<string[]> => {
    for (let i = 0; i < 200; i++) {
      const lines = s.logs.filter((l) => l.includes(path));
      if (lines.length > 0) return lines;
      await new Promise((r) => setTimeout(r, 10));
    }
    return [];
  };

  it('logs the status each console request was answered with, written after the answer', async () => {
    const token = await consoleToken(s.server.endpoint);
    const headers = { 'x-stepwright-console-token': token };
    expect((await raw(`${s.server.endpoint}/console/api/machines`, { method: 'GET', body: '', headers })).status).toBe(200);
    expect((await raw(`${s.server.endpoint}/console/api/events?arn=nope`, { method: 'GET', body: '', headers })).status).toBe(400);
    expect((await raw(`${s.server.endpoint}/console/api/nothing-here`, { method: 'GET', body: '', headers })).status).toBe(404);
    expect((await raw(`${s.server.endpoint}/console/api/machines`, { method: 'GET', body: '' })).status).toBe(403);
    expect(await linesOf('/console/api/events')).toEqual([expect.stringMatching(/^GET \/console\/api\/events\?arn=nope 400 [\d.]+ms$/)]);
    expect(await linesOf('/console/api/nothing-here')).toEqual([expect.stringMatching(/^GET \/console\/api\/nothing-here 404 [\d.]+ms$/)]);
    expect((await linesOf('/console/api/machines')).map((l) => l.split(' ')[2])).toEqual(['200', '403']);
  });

  it('never logs the console token, whichever way the URL spells its parameter', async () => {
    const token = await consoleToken(s.server.endpoint);
    for (const name of ['token', 'TOKEN', '%74oken', 'to%6Ben']) {
      const answer = await raw(`${s.server.endpoint}/console/api/watch?arn=nope-${name}&${name}=${token}`, { method: 'GET', body: '' });
      // Refused (a spelling the console does not read) or 404 (no such execution): either way, logged without the token.
      expect([403, 404]).toContain(answer.status);
      expect(await linesOf(`nope-${name}`)).toEqual([expect.stringMatching(new RegExp(`^GET /console/api/watch\\?arn=nope-${name}&${name}=\\(redacted\\) 40[34] `))]);
    }
    expect(s.logs.join('\n')).not.toContain(token);
  });
});

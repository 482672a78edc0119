import { CreateActivityCommand, ListActivitiesCommand, SFNServiceException, type SFNClient } from '@aws-sdk/client-sfn';
import { serve } from './helpers';

/*
 * A request body's bytes as AWS's JSON reader reads them (Jackson's byte reader:
 * ByteSourceJsonBootstrapper, then UTF8StreamJsonParser). The SDK always sends UTF-8, so each test
 * replaces the body it built with the bytes under test, after the SDK has sized it. The SDK's body is
 * a Uint8Array whose string methods (valueOf, which Buffer.from calls) warn that a later SDK will
 * throw, so its bytes are read with a TextDecoder, which reads the view without calling them.
 */
function sendingBytes(sfn: SFNClient, bytes: (json: string) => Buffer): SFNClient {
  sfn.middlewareStack.add((next) => (args) => {
    const request = args.request as { body?: unknown; headers: Record<string, string> };
    const sent = typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body as Uint8Array);
    const body = bytes(sent);
    request.body = body;
    request.headers['content-length'] = String(body.length);
    return next(args);
  }, { step: 'finalizeRequest', priority: 'low', name: 'bodyBytes' });
  return sfn;
}

/** The JSON the SDK built, with `marker` (ASCII) replaced by `bytes`. */
const replacing = (marker: string, bytes: number[]) => (json: string): Buffer => {
  const [before, after] = json.split(marker);
  return Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
};

async function refusal(p: Promise<unknown>): Promise<SFNServiceException> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  if (!(e instanceof SFNServiceException)) throw new Error(`expected a refusal, got ${String(e)}`);
  return e;
}

describe('serve: a request body\'s bytes', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => { env = await serve(); });
  afterAll(() => env.stop());

  it('reads the body the SDK built without a string method the SDK warns a later version will throw on', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const sfn = sendingBytes(env.server.client(), (json) => Buffer.from(json));
    try {
      expect((await sfn.send(new ListActivitiesCommand({ maxResults: 5 }))).activities).toEqual([]);
      expect(warn.mock.calls.filter(([message]) => /string method on a Uint8Array/.test(String(message)))).toEqual([]);
    } finally {
      warn.mockRestore();
      sfn.destroy();
    }
  });

  it('refuses a byte no UTF-8 sequence starts with as SerializationException naming it, instead of reading it as U+FFFD', async () => {
    const sfn = sendingBytes(env.server.client(), replacing('MARK', [0xff]));
    try {
      const e = await refusal(sfn.send(new CreateActivityCommand({ name: 'aMARKb' })));
      expect(e.name).toBe('SerializationException');
      expect(e.$metadata.httpStatusCode).toBe(400);
      // The type alone, as AWS answers a body its reader cannot read (http.ts): the words are serve's log's.
      expect(e.message).not.toMatch(/request body/);
      expect(env.logs.filter((l) => l.startsWith('advice: CreateActivity: ')).at(-1)).toContain('the request body is not UTF-8: Invalid UTF-8 start byte 0xff at byte 10; ');
    } finally {
      sfn.destroy();
    }
    expect((await env.sfn.send(new ListActivitiesCommand({}))).activities).toEqual([]);
  });

  it('refuses a UTF-8 sequence cut short by the next byte as SerializationException naming that byte', async () => {
    const sfn = sendingBytes(env.server.client(), replacing('MARK', [0xe2, 0x82]));
    try {
      const e = await refusal(sfn.send(new CreateActivityCommand({ name: 'aMARK' })));
      expect(e.name).toBe('SerializationException');
      // The type alone, as AWS answers a body its reader cannot read (http.ts): the words are serve's log's.
      expect(e.message).not.toMatch(/request body/);
      expect(env.logs.filter((l) => l.startsWith('advice: CreateActivity: ')).at(-1)).toContain('the request body is not UTF-8: Invalid UTF-8 middle byte 0x22 at byte 12; ');
    } finally {
      sfn.destroy();
    }
  });

  it('reads a body that begins with a UTF-8 byte order mark without it, and advises', async () => {
    const sfn = sendingBytes(env.server.client(), (json) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]));
    const before = env.logs.length;
    try {
      const { activityArn } = await sfn.send(new CreateActivityCommand({ name: 'marked' }));
      expect(activityArn).toMatch(/:activity:marked$/);
    } finally {
      sfn.destroy();
    }
    const advice = env.logs.slice(before).filter((line) => line.startsWith('advice: CreateActivity'));
    expect(advice).toHaveLength(1);
    expect(advice[0]).toMatch(/byte order mark .*AWS's answer is not recorded and may be SerializationException/);
  });

  it('reads a body in UTF-16LE, which Jackson\'s bootstrapper detects by its zero bytes, and advises', async () => {
    const sfn = sendingBytes(env.server.client(), (json) => Buffer.from(json, 'utf16le'));
    const before = env.logs.length;
    try {
      const { activityArn } = await sfn.send(new CreateActivityCommand({ name: 'wide-é' }));
      expect(activityArn).toMatch(/:activity:wide-é$/);
    } finally {
      sfn.destroy();
    }
    const advice = env.logs.slice(before).filter((line) => line.startsWith('advice: CreateActivity'));
    expect(advice).toEqual([expect.stringMatching(/the request body is UTF-16LE; .*AWS's answer is not recorded and may be SerializationException/)]);
  });

  it('names the encoding it read a UTF-32 body cut short in, not UTF-8, and the bytes missing, when it refuses it', async () => {
    const sfn = sendingBytes(env.server.client(), (json) => {
      const bytes = Buffer.alloc(json.length * 4);
      for (let i = 0; i < json.length; i++) bytes.writeUInt32BE(json.charCodeAt(i), i * 4);
      return Buffer.concat([bytes, Buffer.from([0])]);
    });
    try {
      const e = await refusal(sfn.send(new CreateActivityCommand({ name: 'wide' })));
      expect(e.name).toBe('SerializationException');
      // The type alone, as AWS answers a body its reader cannot read (http.ts): the words are serve's log's.
      expect(e.message).not.toMatch(/request body/);
      expect(env.logs.filter((l) => l.startsWith('advice: CreateActivity: ')).at(-1)).toContain("the request body is not valid UTF-32BE: the body's UTF-32 ends inside a character, 3 of its 4 bytes missing; ");
    } finally {
      sfn.destroy();
    }
  });

  it('decodes an overlong form as Jackson decodes it, without a check: C0 AF is a slash, which a name may not have', async () => {
    const sfn = sendingBytes(env.server.client(), replacing('MARK', [0xc0, 0xaf]));
    try {
      const e = await refusal(sfn.send(new CreateActivityCommand({ name: 'aMARKb' })));
      expect(e.name).toBe('InvalidName');
      expect(e.message).toBe("Invalid Name: 'a/b'");
    } finally {
      sfn.destroy();
    }
  });
});

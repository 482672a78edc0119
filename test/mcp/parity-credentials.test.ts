import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startMcp, textOf, type McpSession } from './client';
import { withoutAwsCredentials } from '../../src/mcp/pool';

/*
 * MCP's parity tool never signs a loopback call with real credentials: the server's environment
 * and a profile file in its HOME hold canary keys, and a listener on 127.0.0.1 (answering as
 * TestState would) records every header it is sent.
 */
describe('stepwright mcp: parity sends a loopback endpoint no real credentials', () => {
  const CANARIES = ['AKIACANARYENVIRONMENT', 'CANARYENVSECRET', 'CANARYENVTOKEN', 'AKIACANARYPROFILE', 'CANARYPROFILESECRET', 'CANARYPROFILETOKEN', 'AKIACANARYDEFAULT'];
  let root: string;
  let home: string;
  let listener: http.Server;
  let endpoint: string;
  const seen: string[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-mcp-creds-'));
    home = path.join(root, 'home');
    fs.mkdirSync(path.join(home, '.aws'), { recursive: true });
    fs.writeFileSync(path.join(home, '.aws', 'credentials'), [
      '[default]', 'aws_access_key_id = AKIACANARYDEFAULT', 'aws_secret_access_key = CANARYDEFAULTSECRET', '',
      '[canary]', 'aws_access_key_id = AKIACANARYPROFILE', 'aws_secret_access_key = CANARYPROFILESECRET', 'aws_session_token = CANARYPROFILETOKEN', '',
    ].join('\n'));
    fs.writeFileSync(path.join(home, '.aws', 'config'), '[default]\nregion = eu-west-1\n[profile canary]\nregion = eu-west-1\n');
    listener = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => { body += String(d); });
      req.on('end', () => {
        seen.push(`${JSON.stringify(req.headers)}\n${body}`);
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ status: 'SUCCEEDED', output: '{}' }));
      });
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    env = {
      ...process.env as Record<string, string>,
      HOME: home,
      USERPROFILE: home,
      AWS_ACCESS_KEY_ID: 'AKIACANARYENVIRONMENT',
      AWS_SECRET_ACCESS_KEY: 'CANARYENVSECRET',
      AWS_SESSION_TOKEN: 'CANARYENVTOKEN',
      AWS_PROFILE: 'canary',
    };
    delete env.AWS_CONFIG_FILE;
    delete env.AWS_SHARED_CREDENTIALS_FILE;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => listener.close(() => resolve()));
    fs.rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    seen.length = 0;
  });

  const call = { definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, inputs: [{ n: 1 }] };
  const leaked = (): string[] => CANARIES.filter((c) => seen.some((s) => s.includes(c)));

  async function withServer(flags: string[], body: (mcp: McpSession) => Promise<void>): Promise<void> {
    const mcp = await startMcp(root, flags, { env });
    try {
      await body(mcp);
    } finally {
      await mcp.close();
    }
  }

  it('refuses a profile beside a loopback endpoint without --allow-aws, and sends nothing', async () => {
    await withServer([], async (mcp) => {
      const r = await mcp.call('parity', { ...call, endpoint, profile: 'canary' });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toBe('profile: loads the credentials of a profile, which this server uses only when started with --allow-aws; a loopback endpoint is sent placeholder credentials');
      expect(seen).toEqual([]);
    });
  }, 60_000);

  it('signs a loopback call with placeholder credentials though the environment and the profile file hold real ones', async () => {
    await withServer([], async (mcp) => {
      for (const args of [{ ...call, endpoint }, { ...call, endpoint, region: 'eu-west-1' }]) {
        const r = await mcp.call('parity', args);
        expect(textOf(r)).not.toMatch(/error/i);
        expect(r.isError).toBeFalsy();
      }
      expect(seen.length).toBeGreaterThanOrEqual(2);
      expect(seen.every((s) => /Credential=local\//.test(s))).toBe(true);
      expect(leaked()).toEqual([]);
    });
  }, 60_000);

  it('refuses a profile beside a loopback endpoint with --allow-aws too: a profile is for AWS\'s TestState', async () => {
    await withServer(['--allow-aws'], async (mcp) => {
      const r = await mcp.call('parity', { ...call, endpoint, profile: 'canary' });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/^profile: is for AWS's TestState: a loopback endpoint is sent placeholder credentials/);
      const plain = await mcp.call('parity', { ...call, endpoint });
      expect(plain.isError).toBeFalsy();
      expect(seen.length).toBeGreaterThanOrEqual(1);
      expect(leaked()).toEqual([]);
    });
  }, 60_000);
});

describe('the environment of an MCP worker without --allow-aws', () => {
  it('keeps no AWS variable but the region, and points the shared files at nothing', () => {
    const env = withoutAwsCredentials({
      PATH: '/bin',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-2',
      AWS_ACCESS_KEY_ID: 'k',
      AWS_SECRET_ACCESS_KEY: 's',
      AWS_SESSION_TOKEN: 't',
      AWS_PROFILE: 'p',
      AWS_WEB_IDENTITY_TOKEN_FILE: '/token',
      AWS_ROLE_ARN: 'arn',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.2/creds',
      aws_access_key_id: 'lower',
    });
    expect(env).toEqual({
      PATH: '/bin',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-2',
      AWS_CONFIG_FILE: os.devNull,
      AWS_SHARED_CREDENTIALS_FILE: os.devNull,
      AWS_EC2_METADATA_DISABLED: 'true',
    });
  });
});

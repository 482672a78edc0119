import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { errorMessage, raw, serve } from './helpers';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('serve: LocalStack readiness endpoints', () => {
  it('answers GET /_localstack/health as LocalStack does, with stepfunctions running, then serves the API', async () => {
    const env = await serve();
    try {
      const res = await fetch(`${env.server.endpoint}/_localstack/health`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      const text = await res.text();
      // Shell scripts grep LocalStack's Python-written JSON, spaces included.
      expect(text).toContain('"stepfunctions": "running"');
      expect(JSON.parse(text)).toMatchObject({ services: { stepfunctions: 'running' }, features: { initScripts: 'initialized', persistence: 'disabled' } });
      await expect(env.sfn.send(new ListStateMachinesCommand({}))).resolves.toMatchObject({ stateMachines: [] });
    } finally {
      await env.stop();
    }
  });

  it('answers the health check at LocalStack\'s older /health path and to HEAD, and with a query string', async () => {
    const env = await serve();
    try {
      const old = await fetch(`${env.server.endpoint}/health`);
      expect(await old.json()).toMatchObject({ services: { stepfunctions: 'running' } });
      const head = await fetch(`${env.server.endpoint}/_localstack/health`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
      const reload = await fetch(`${env.server.endpoint}/_localstack/health?reload`);
      expect(await reload.json()).toMatchObject({ services: { stepfunctions: 'running' } });
    } finally {
      await env.stop();
    }
  });

  it('answers /_localstack/init with every stage but SHUTDOWN completed, and /_localstack/init/ready with completed true', async () => {
    const env = await serve();
    try {
      const all = await fetch(`${env.server.endpoint}/_localstack/init`);
      expect(await all.json()).toEqual({ completed: { BOOT: true, START: true, READY: true, SHUTDOWN: false }, scripts: [] });
      const ready = await fetch(`${env.server.endpoint}/_localstack/init/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ completed: true, scripts: [] });
      const unknown = await fetch(`${env.server.endpoint}/_localstack/init/later`);
      expect(unknown.status).toBe(404);
      expect(await unknown.text()).toContain('BOOT, START, READY, SHUTDOWN');
    } finally {
      await env.stop();
    }
  });

  it('refuses a Lambda API call naming Lambda and what serve offers instead, and logs it once', async () => {
    const env = await serve();
    const lambda = new LambdaClient({ endpoint: env.server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    try {
      for (let i = 0; i < 2; i++) {
        const e = await lambda.send(new ListFunctionsCommand({})).catch((x: unknown) => x as Error);
        expect(e).toBeInstanceOf(Error);
      }
      const lines = env.logs.filter((l) => l.includes('is for lambda'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('--handlers');
      expect(lines[0]).toContain('--endpoint lambda=<url>');
    } finally {
      lambda.destroy();
      await env.stop();
    }
  });

  it('refuses a DynamoDB call with UnknownOperationException whose message names DynamoDB and --endpoint dynamodb', async () => {
    const env = await serve();
    const dynamodb = new DynamoDBClient({ endpoint: env.server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    try {
      const e = await dynamodb.send(new ListTablesCommand({})).catch((x: unknown) => x as Error);
      expect((e as Error).name).toBe('UnknownOperationException');
      expect((e as Error).message).toContain('is for dynamodb');
      expect((e as Error).message).toContain('--endpoint dynamodb=<url>');
    } finally {
      dynamodb.destroy();
      await env.stop();
    }
  });

  describe('a request signed for S3 (aws s3 mb, cp against serve\'s port)', () => {
    const signedForS3 = { authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00' };
    const s3Call = async (env: Awaited<ReturnType<typeof serve>>): Promise<string> => {
      const answer = await raw(`${env.server.endpoint}/orders/input.csv`, { method: 'PUT', body: 'id\n1\n', headers: signedForS3 });
      expect(answer.status).toBe(400);
      expect(answer.body.__type).toBe('com.amazon.coral.service#UnknownOperationException');
      expect(env.logs.filter((l) => l.includes('is for s3'))).toEqual([errorMessage(answer.body)]);
      return String(errorMessage(answer.body));
    };

    it('with --s3-dir, says serve keeps objects in that folder and to write them there as <bucket>/<key>, without naming the folder', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-s3-message-'));
      const env = await serve({ s3Dir: dir });
      try {
        const message = await s3Call(env);
        expect(message).toContain('serve keeps S3 objects in the folder it was given (--s3-dir)');
        expect(message).toContain('<bucket>/<key>');
        expect(message).not.toContain('does not store');
        expect(message).not.toContain(dir);
      } finally {
        await env.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('with --endpoint s3=, says where to point the S3 client: the endpoint\'s origin, never its credentials', async () => {
      const env = await serve({ endpoints: { s3: 'http://minio:secret@127.0.0.1:9000/ignored?x=1' } });
      try {
        const message = await s3Call(env);
        expect(message).toContain('point the S3 client there (aws --endpoint-url http://127.0.0.1:9000 s3 ...)');
        expect(message).not.toContain('secret');
        expect(message).not.toContain('does not store');
      } finally {
        await env.stop();
      }
    });

    it('with neither, names both ways to give serve an S3 (--s3-dir, --endpoint s3=) and the mocks', async () => {
      const env = await serve();
      try {
        const message = await s3Call(env);
        expect(message).toContain('--s3-dir <dir>');
        expect(message).toContain('--endpoint s3=<url>');
        expect(message).toContain('--handlers <module> or a MockConfigFile');
        expect(message).not.toContain('does not store');
      } finally {
        await env.stop();
      }
    });
  });
});

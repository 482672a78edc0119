import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { serve } from './helpers';

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
});

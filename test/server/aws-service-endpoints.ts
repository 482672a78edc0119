import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a fake service received: its X-Amz-Target (JSON protocols) or Action (query protocol), and its parameters. */
export interface ServiceRequest {
  readonly operation: string;
  readonly params: Record<string, unknown>;
}

/** What a fake answers one request with. */
export interface FakeAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body: string;
}

/** A fake service on 127.0.0.1: what it was sent, its URL, and how to close it. */
export interface FakeService {
  readonly url: string;
  readonly requests: ServiceRequest[];
  close(): Promise<void>;
}

async function listen(handle: (req: http.IncomingMessage, body: string) => FakeAnswer, requests: ServiceRequest[]): Promise<FakeService> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = handle(req, Buffer.concat(chunks).toString('utf8'));
      res.writeHead(answer.status, { 'x-amzn-RequestId': `req-${requests.length}`, ...answer.headers }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

const JSON_10 = { 'content-type': 'application/x-amz-json-1.0' };

/**
 * SQS as the current AWS SDK speaks it: AWS JSON 1.0, `X-Amz-Target:
 * AmazonSQS.<Action>`. SendMessage to a queue URL ending in `/missing` is
 * QueueDoesNotExist (with the query-compatible error code header SQS sends);
 * any other SendMessage answers its MessageId and the body's MD5, which the SDK checks.
 */
export function fakeSqs(): Promise<FakeService> {
  const requests: ServiceRequest[] = [];
  return listen((req, body) => {
    const operation = String(req.headers['x-amz-target'] ?? '');
    const params = JSON.parse(body) as Record<string, unknown>;
    requests.push({ operation, params });
    if (operation !== 'AmazonSQS.SendMessage') return { status: 400, headers: JSON_10, body: JSON.stringify({ __type: 'com.amazonaws.sqs#UnsupportedOperation', message: operation }) };
    if (String(params.QueueUrl).endsWith('/missing')) {
      return {
        status: 400,
        headers: { ...JSON_10, 'x-amzn-query-error': 'AWS.SimpleQueueService.NonExistentQueue;Sender' },
        body: JSON.stringify({ __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' }),
      };
    }
    const md5 = crypto.createHash('md5').update(String(params.MessageBody)).digest('hex');
    return { status: 200, headers: JSON_10, body: JSON.stringify({ MD5OfMessageBody: md5, MessageId: `msg-${requests.length}` }) };
  }, requests);
}

/**
 * SNS as the AWS SDK speaks it: the query protocol (a form-encoded POST,
 * `Action=Publish`), answered in XML. Publish to a topic ARN ending in
 * `:missing` is NotFound (404).
 */
export function fakeSns(): Promise<FakeService> {
  const requests: ServiceRequest[] = [];
  return listen((_req, body) => {
    const form = new URLSearchParams(body);
    const params = Object.fromEntries(form.entries());
    const operation = String(params.Action);
    requests.push({ operation, params });
    if (String(params.TopicArn).endsWith(':missing')) {
      return {
        status: 404,
        headers: { 'content-type': 'text/xml' },
        body: '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error><RequestId>req-err</RequestId></ErrorResponse>',
      };
    }
    return {
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body: `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>sns-${requests.length}</MessageId></PublishResult><ResponseMetadata><RequestId>req-sns</RequestId></ResponseMetadata></PublishResponse>`,
    };
  }, requests);
}

/**
 * DynamoDB as the AWS SDK speaks it: AWS JSON 1.0, `X-Amz-Target:
 * DynamoDB_20120810.<Action>`, over one table of items keyed by `id`.
 * A table other than `orders` is ResourceNotFoundException; a TableName with
 * a `/` is a ValidationException, an error the SDK does not model.
 */
export function fakeDynamoDb(): Promise<FakeService & { readonly items: Map<string, unknown> }> {
  const requests: ServiceRequest[] = [];
  const items = new Map<string, unknown>();
  const error = (type: string, message: string): FakeAnswer => ({ status: 400, headers: JSON_10, body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }) });
  return listen((req, body) => {
    const operation = String(req.headers['x-amz-target'] ?? '');
    const params = JSON.parse(body) as { TableName?: string; Item?: { id: { S: string } }; Key?: { id: { S: string } } };
    requests.push({ operation, params });
    if (String(params.TableName).includes('/')) {
      return error('ValidationException', `1 validation error detected: Value '${params.TableName}' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`);
    }
    if (params.TableName !== 'orders') return error('ResourceNotFoundException', 'Requested resource not found');
    switch (operation) {
      case 'DynamoDB_20120810.PutItem':
        items.set(params.Item!.id.S, params.Item);
        return { status: 200, headers: JSON_10, body: '{}' };
      case 'DynamoDB_20120810.GetItem': {
        const item = items.get(params.Key!.id.S);
        return { status: 200, headers: JSON_10, body: JSON.stringify(item ? { Item: item } : {}) };
      }
      default:
        return error('UnknownOperationException', operation);
    }
  }, requests).then((s) => Object.assign(s, { items }));
}

/** A fake that answers every request with the same thing. */
export function fakeAnswering(answer: FakeAnswer): Promise<FakeService> {
  const requests: ServiceRequest[] = [];
  return listen((req, body) => {
    requests.push({ operation: String(req.headers['x-amz-target'] ?? ''), params: { body } });
    return answer;
  }, requests);
}

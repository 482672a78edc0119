// One Step Functions API call to a `stepwright serve` endpoint, as the AWS SDKs send it (the JSON
// 1.0 protocol, the operation in X-Amz-Target), for the benches that start serve themselves.
import { request } from 'node:http';

/** Calls `operation` with `body`; resolves with the HTTP status, the answer's length in characters and its parsed body. */
export function callServe(endpoint, operation, body) {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(`${endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSStepFunctions.${operation}`, 'content-length': Buffer.byteLength(payload) },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode, bytes: text.length, body: JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

// A small S3-compatible server for tests, run in a worker thread (the endpoint store blocks the
// thread that calls it, so the server cannot share it). Path-style requests only: HeadObject,
// GetObject (with a Range), PutObject, DeleteObject, ListObjectsV2. It listens on 127.0.0.1 and
// posts { port } when ready; a 'requests' message answers with the calls seen so far.
// Keys are kept as sent: '.' and '..' segments, '//' and a NUL are a key's own, as on S3.
// workerData.misbehave makes it a server that cannot be trusted: 'repeat-pages' answers every
// listing with its first page and IsTruncated true; 'lying-head' answers HEAD with a length of 5
// whatever the object's size, and a ranged GET with the whole object; 'endless-listing' answers
// a listing with a body that never ends (chunked, Contents after Contents) until the client goes;
// 'endless-error' answers every object call with a 500 whose body never ends; 'drip' answers a
// GetObject with the right headers and then a byte every 50 ms, and posts { dripClosed: true }
// when the client hangs up.
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

/** @type {Map<string, Map<string, { body: Buffer, etag: string, modified: Date }>>} */
const buckets = new Map();
const put = (bucket, key, body) => {
  buckets.get(bucket).set(key, { body, etag: `"${crypto.createHash('md5').update(body).digest('hex')}"`, modified: new Date() });
};
for (const [bucket, objects] of Object.entries(workerData.buckets)) {
  buckets.set(bucket, new Map());
  for (const [key, text] of Object.entries(objects)) put(bucket, key, Buffer.from(text));
}
/** @type {string[]} */
const seen = [];
const MAX_BODY = 64 * 1024 * 1024;
const xml = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function fail(res, status, code, message, head) {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(head ? undefined : `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${xml(message)}</Message></Error>`);
}

function endless(res) {
  res.writeHead(200, { 'content-type': 'application/xml' });
  res.write('<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><IsTruncated>false</IsTruncated>');
  const entry = `<Contents><Key>${'k'.repeat(1000)}</Key><Size>1</Size></Contents>`.repeat(64);
  let sent = 0;
  const more = () => {
    // At most 2 GB, should a client never stop reading.
    while (!res.destroyed && sent < 2 ** 31) {
      sent += entry.length;
      if (!res.write(entry)) return res.once('drain', more);
    }
    return res.end('</ListBucketResult>');
  };
  res.on('close', () => { sent = Infinity; });
  more();
}

function endlessError(res) {
  res.writeHead(500, { 'content-type': 'application/xml' });
  res.write('<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>');
  const piece = 'x'.repeat(64 * 1024);
  let sent = 0;
  const more = () => {
    while (!res.destroyed && sent < 2 ** 31) {
      sent += piece.length;
      if (!res.write(piece)) return res.once('drain', more);
    }
    return res.end('</Message></Error>');
  };
  res.on('close', () => { sent = Infinity; });
  more();
}

function drip(res, body) {
  let at = 0;
  const timer = setInterval(() => {
    if (at < body.length) res.write(body.subarray(at, ++at));
  }, 50);
  res.on('close', () => {
    clearInterval(timer);
    parentPort.postMessage({ dripClosed: true });
  });
}

function list(res, bucket, q) {
  if (workerData.misbehave === 'endless-listing') return endless(res);
  const prefix = q.get('prefix') ?? '';
  const after = workerData.misbehave === 'repeat-pages' ? '' : q.get('continuation-token') ? Buffer.from(q.get('continuation-token'), 'base64').toString() : (q.get('start-after') ?? '');
  const max = Math.min(Number(q.get('max-keys') ?? 1000), 1000);
  const byBytes = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  const keys = [...bucket.keys()].filter((k) => k.startsWith(prefix) && byBytes(k, after) > 0).sort(byBytes);
  // encoding-type=url: keys as S3 sends them then, URL-encoded with a space as '+', so that any character crosses XML.
  const url = q.get('encoding-type') === 'url';
  const named = (k) => (url ? encodeURIComponent(k).replace(/%20/g, '+') : k);
  const page = keys.slice(0, max);
  const truncated = workerData.misbehave === 'repeat-pages' || keys.length > page.length;
  const contents = page.map((k) => {
    const o = bucket.get(k);
    return `<Contents><Key>${xml(named(k))}</Key><LastModified>${o.modified.toISOString()}</LastModified><ETag>${xml(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
  }).join('');
  const next = truncated ? `<NextContinuationToken>${Buffer.from(page[page.length - 1]).toString('base64')}</NextContinuationToken>` : '';
  res.writeHead(200, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><ListBucketResult>${url ? '<EncodingType>url</EncodingType>' : ''}<Prefix>${xml(named(prefix))}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`);
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  // The path as sent, not URL's pathname: that one resolves '.' and '..' segments, which are a key's own.
  const rawPath = req.url.split('?')[0];
  const [, bucketName = '', ...rest] = rawPath.split('/');
  const key = decodeURIComponent(rest.join('/'));
  seen.push(`${req.method} /${bucketName}${key ? `/${key}` : ''}${url.searchParams.has('list-type') ? '?list-type=2' : ''}`);
  const bucket = buckets.get(decodeURIComponent(bucketName));
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size > MAX_BODY) req.destroy();
    else chunks.push(c);
  });
  req.on('end', () => {
    const head = req.method === 'HEAD';
    if (workerData.misbehave === 'endless-error' && key) return endlessError(res);
    if (!bucket) return fail(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', head);
    if (!key) return req.method === 'GET' ? list(res, bucket, url.searchParams) : fail(res, 405, 'MethodNotAllowed', 'not here', head);
    if (req.method === 'PUT') {
      put(bucketName, key, Buffer.concat(chunks));
      res.writeHead(200, { etag: bucket.get(key).etag });
      return res.end();
    }
    if (req.method === 'DELETE') {
      bucket.delete(key);
      res.writeHead(204);
      return res.end();
    }
    const o = bucket.get(key);
    if (!o) return fail(res, 404, 'NoSuchKey', 'The specified key does not exist.', head);
    const headers = { etag: o.etag, 'last-modified': o.modified.toUTCString(), 'content-type': 'binary/octet-stream', 'accept-ranges': 'bytes' };
    if (workerData.misbehave === 'lying-head' && head) {
      res.writeHead(200, { ...headers, 'content-length': 5 });
      return res.end();
    }
    const range = workerData.misbehave === 'lying-head' ? null : /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (range && !head) {
      const start = Number(range[1]);
      const end = Math.min(Number(range[2]), o.body.length - 1);
      const part = o.body.subarray(start, end + 1);
      res.writeHead(206, { ...headers, 'content-length': part.length, 'content-range': `bytes ${start}-${end}/${o.body.length}` });
      if (workerData.misbehave === 'drip') return drip(res, part);
      return res.end(part);
    }
    res.writeHead(200, { ...headers, 'content-length': o.body.length });
    return res.end(head ? undefined : o.body);
  });
});

server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (m) => {
  if (m === 'requests') parentPort.postMessage({ requests: [...seen] });
  if (m === 'close') server.close(() => parentPort.close());
});

import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { serve } from './helpers';
import { client } from '../../src/server';

/** Whether this machine has the IPv6 loopback address (some CI containers have no IPv6); the tests that need it are skipped, and say so, where it has not. */
const IPV6 = Object.values(os.networkInterfaces()).flat().some((a) => a?.address === '::1');
const withIpv6 = IPV6 ? it : it.skip;
const withoutIpv6 = IPV6 ? it.skip : it;

/** POSTs ListStateMachines to host:port over node:http and returns the HTTP status. */
function listAt(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host,
      port,
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.ListStateMachines' },
    }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode!)); });
    req.on('error', reject);
    req.end('{}');
  });
}

describe('serve: listening where localhost resolves', () => {
  it('answers an SDK client given http://localhost:<port>', async () => {
    const env = await serve();
    try {
      const sfn = client(`http://localhost:${env.server.port}`);
      const listed = await sfn.send(new ListStateMachinesCommand({}));
      expect(listed.stateMachines).toEqual([]);
      sfn.destroy();
    } finally {
      await env.stop();
    }
  });

  withIpv6('answers on 127.0.0.1 and on ::1 at the same port by default', async () => {
    const env = await serve();
    try {
      expect(env.server.endpoint).toBe(`http://127.0.0.1:${env.server.port}`);
      expect(await listAt('127.0.0.1', env.server.port)).toBe(200);
      expect(await listAt('::1', env.server.port)).toBe(200);
    } finally {
      await env.stop();
    }
  });

  withoutIpv6('listens on 127.0.0.1 alone where the machine has no IPv6, and says so', async () => {
    const env = await serve();
    try {
      expect(await listAt('127.0.0.1', env.server.port)).toBe(200);
      expect(env.logs.some((l) => l.startsWith('IPv6 loopback ::1 is not available here'))).toBe(true);
    } finally {
      await env.stop();
    }
  });

  it('listens only on the address given with host', async () => {
    const env = await serve({ host: '127.0.0.1' });
    try {
      expect(await listAt('127.0.0.1', env.server.port)).toBe(200);
      if (IPV6) await expect(listAt('::1', env.server.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await env.stop();
    }
  });

  withIpv6('refuses a port something already holds on ::1 rather than serve half of localhost, and gives 127.0.0.1 back', async () => {
    const holder = net.createServer();
    const port = await new Promise<number>((resolve) => holder.listen(0, '::1', () => resolve((holder.address() as net.AddressInfo).port)));
    try {
      await expect(serve({ port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
      // The IPv4 side was given back: another server may take the port there.
      const v4 = net.createServer();
      await new Promise<void>((resolve, reject) => { v4.once('error', reject); v4.listen(port, '127.0.0.1', () => resolve()); });
      await new Promise<void>((resolve) => v4.close(() => resolve()));
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });
});

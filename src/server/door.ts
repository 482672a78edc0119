/*
 * Who may talk to serve. A web page on a name that resolves to 127.0.0.1 (DNS rebinding) is
 * same-origin with the server in the browser; its requests carry that name in `Host`. A page of
 * another origin carries its `Origin`. The AWS SDKs and the AWS CLI send `Host: 127.0.0.1:<port>`
 * or `localhost:<port>` (or the host prefix `sync-` of StartSyncExecution and TestState) and no
 * `Origin`, so requests from them pass, and a browser's from a foreign name are refused.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { HOST_PREFIXES } from './validation/stepfunctions-model.generated';

/** `name[:port]` or `[ipv6][:port]`, nothing else: no user info, path or spaces. */
const HOST_HEADER = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?))(?::(\d{1,5}))?$/;

/** A DNS name or an IP address, as `--allow-host` takes it. */
const NAME = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;

/**
 * The prefix the SDKs put before the host for an operation whose model gives it the endpoint
 * trait `hostPrefix` (`sync-` for StartSyncExecution and TestState, read from botocore's
 * stepfunctions-2016-11-23), and for no other request: a prefixed Host on anything else is a name
 * of its own (`sync-example.com` is not `example.com`'s to allow).
 */
function hostPrefixOf(operation: string | undefined): string | undefined {
  return operation !== undefined && Object.hasOwn(HOST_PREFIXES, operation) ? HOST_PREFIXES[operation] : undefined;
}

/**
 * The operations the SDKs send to a prefixed host, by prefix, in the model's order: `sync-` →
 * StartSyncExecution, TestState (the endpoint trait `hostPrefix` of botocore's model).
 * @param prefixes operation → its host prefix; the model's by default
 * @internal
 */
export function operationsByHostPrefix(prefixes: Readonly<Record<string, string>> = HOST_PREFIXES): ReadonlyMap<string, readonly string[]> {
  const byPrefix = new Map<string, string[]>();
  for (const [operation, prefix] of Object.entries(prefixes)) {
    const operations = byPrefix.get(prefix);
    if (operations === undefined) byPrefix.set(prefix, [operation]);
    else operations.push(operation);
  }
  return byPrefix;
}

/** A host name or address `allowHosts` cannot take, naming it. */
export class AllowHostError extends Error {
  constructor(public readonly value: string) {
    super(`'${value}' is not a host name or IP address; give a name such as stepwright.internal, an address such as 192.168.1.20, or * to allow any Host (only where nothing untrusted can reach the port)`);
    this.name = 'AllowHostError';
  }
}

/** The host of a `Host` header or an origin, lower case, IPv6 without brackets; undefined when malformed. */
function hostOf(text: string): string | undefined {
  const m = HOST_HEADER.exec(text.toLowerCase());
  if (!m) return undefined;
  if (m[3] !== undefined && Number(m[3]) > 65535) return undefined;
  if (m[1] !== undefined) return isIPv6(m[1]) ? canonicalIPv6(m[1]) : undefined;
  return m[2];
}

/** One spelling of an IPv6 address (`0:0:0:0:0:0:0:1` is `::1`). */
function canonicalIPv6(address: string): string {
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIPv4(host)) return host.startsWith('127.');
  return host === '::1' || host === '::ffff:7f00:1';
}

/**
 * The check of the `Host` and `Origin` of every request serve answers.
 * @internal
 */
export class Door {
  private readonly names: ReadonlySet<string>;
  private readonly any: boolean;

  /**
   * @param listenHost the address serve listens on (`--host`), allowed as a Host too unless it is a wildcard
   * @param allowHosts more names (`--allow-host`); `*` allows any
   * @throws AllowHostError for an entry that is not a host name or an IP address
   */
  constructor(listenHost: string | undefined, allowHosts: readonly string[] = []) {
    const names = new Set<string>();
    let any = false;
    for (const raw of allowHosts) {
      if (typeof raw !== 'string') throw new AllowHostError(String(raw));
      const value = raw.trim().toLowerCase();
      if (value === '*') {
        any = true;
        continue;
      }
      const unbracketed = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
      if (isIPv6(unbracketed)) names.add(canonicalIPv6(unbracketed));
      else if (value.length <= 253 && NAME.test(value)) names.add(value);
      else throw new AllowHostError(raw);
    }
    if (listenHost !== undefined) {
      const host = listenHost.toLowerCase();
      if (isIPv6(host)) {
        if (host !== '::') names.add(canonicalIPv6(host));
      } else if (host !== '0.0.0.0' && NAME.test(host)) {
        names.add(host);
      }
    }
    this.names = names;
    this.any = any;
  }

  /**
   * Why a request with these headers is refused; undefined when it may come in.
   * @param operation the request's X-Amz-Target operation: the SDKs' host prefix (`sync-`) is taken
   * only for an operation the model gives it to, and only from a request with no Origin (the SDKs send
   * none; a page that rebound `sync-<name>` would)
   */
  refusal(hostHeader: string | undefined, originHeader: string | undefined, operation?: string): string | undefined {
    if (this.any) return undefined;
    if (hostHeader === undefined || hostHeader === '') return 'The request has no Host header; send it to http://127.0.0.1:<port> or http://localhost:<port>';
    const prefix = originHeader === undefined ? hostPrefixOf(operation) : undefined;
    if (!this.allows(hostOf(hostHeader), prefix)) {
      return `Host '${shown(hostHeader)}' is not a loopback name (localhost, *.localhost, 127.0.0.1, [::1]) or a name serve was told to allow: `
        + 'a web page on another name may not drive this server. Start serve with --allow-host <name> (ServerOptions.allowHosts) to allow it';
    }
    if (originHeader !== undefined && !this.allowsOrigin(originHeader)) {
      return `Origin '${shown(originHeader)}' is not a loopback origin (http://localhost, http://127.0.0.1, http://[::1], any port) or one of a name serve was told to allow: `
        + 'a web page of another origin may not drive this server. Start serve with --allow-host <name> (ServerOptions.allowHosts) to allow it';
    }
    return undefined;
  }

  private allows(host: string | undefined, prefix?: string): boolean {
    if (host === undefined) return false;
    if (isLoopback(host) || this.names.has(host)) return true;
    // The SDKs' host prefix: `sync-localhost` resolves only where the user's hosts file says so.
    if (prefix === undefined || !host.startsWith(prefix)) return false;
    const unprefixed = host.slice(prefix.length);
    return isLoopback(unprefixed) || this.names.has(unprefixed);
  }

  private allowsOrigin(origin: string): boolean {
    const m = /^(https?):\/\/(.+)$/i.exec(origin);
    return m !== null && this.allows(hostOf(m[2]));
  }
}

/** A header as a refusal quotes it: printable ASCII, at most 100 characters. */
function shown(text: string): string {
  const printable = text.replace(/[^\x20-\x26\x28-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return printable.length > 100 ? `${printable.slice(0, 100)}…` : printable;
}

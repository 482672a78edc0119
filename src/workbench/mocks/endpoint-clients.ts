import * as http from 'node:http';
import type * as https from 'node:https';

/** @internal */
export { boundAnswers, ResponseDeadline, ResponseTooLarge, type AnswerBounds } from './bounded-response';

declare module 'http' {
  interface Agent {
    /**
     * Queues a request on a socket of the agent's pool: Node's Agent has it on its prototype
     * (lib/_http_agent.js) and ClientRequest calls it; @types/node leaves it out. Declared here so
     * that the lenient agents below can call the one they extend.
     */
    addRequest(req: http.ClientRequest, options: http.RequestOptions): void;
  }
}

/**
 * Agents that read an endpoint's answer with Node's lenient HTTP parser:
 * fake services written for Step Functions Local often answer with bare LF
 * line endings (`HTTP/1.1 200 OK\n\n{…}`), which its Java client reads and
 * RFC 9112 §2.2 lets a recipient read, and which Node's strict parser refuses
 * (`HPE_CR_EXPECTED`). The endpoint is one the user named; the answer is
 * bounded and checked after it is parsed all the same.
 */
class LenientHttpAgent extends http.Agent {
  addRequest(req: http.ClientRequest, options: http.RequestOptions): void {
    // The parser is chosen when the socket is attached, after this (ClientRequest reads this field then).
    (req as { insecureHTTPParser?: boolean }).insecureHTTPParser = true;
    super.addRequest(req, options);
  }
}

type HttpsAgentClass = new (options: https.AgentOptions) => https.Agent;
let lenientHttpsAgentClass: HttpsAgentClass | undefined;

/** The lenient https agent's class: node:https (and TLS behind it) is loaded with the first forwarding client, not when serve starts. */
function lenientHttpsAgent(): HttpsAgentClass {
  if (lenientHttpsAgentClass !== undefined) return lenientHttpsAgentClass;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
  const { Agent } = require('node:https') as typeof https;
  lenientHttpsAgentClass = class LenientHttpsAgent extends Agent {
    addRequest(req: http.ClientRequest, options: https.RequestOptions): void {
      (req as { insecureHTTPParser?: boolean }).insecureHTTPParser = true;
      super.addRequest(req, options);
    }
  };
  return lenientHttpsAgentClass;
}

/**
 * The request handler options of an SDK client that calls an endpoint of
 * the user's: lenient parsing (see above), and no kept-alive sockets, so
 * nothing waits on them when the server closes.
 * @internal
 */
export function endpointRequestHandler(): { httpAgent: http.Agent; httpsAgent: https.Agent } {
  const LenientHttpsAgent = lenientHttpsAgent();
  return { httpAgent: new LenientHttpAgent({ keepAlive: false }), httpsAgent: new LenientHttpsAgent({ keepAlive: false }) };
}

/**
 * Makes an AWS SDK client without its `NodeVersionSupportWarning`, which it
 * prints on the first client made in a process on a Node.js older than its
 * next floor: the client is stepwright's, not the user's, and `serve`'s log
 * keeps to serve's lines. Any other warning is emitted as it would be.
 * @internal
 */
export function withoutNodeVersionWarning<T>(make: () => T): T {
  const emit = process.emitWarning;
  process.emitWarning = function filtered(this: unknown, warning: string | Error, ...rest: unknown[]): void {
    const text = typeof warning === 'string' ? warning : warning?.message;
    if (typeof text === 'string' && text.startsWith('NodeVersionSupportWarning')) return;
    (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    return make();
  } finally {
    process.emitWarning = emit;
  }
}

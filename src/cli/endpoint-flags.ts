import { UsageError } from './cli-error';
import { EndpointError, endpointUrl, parseEndpointSetting } from '../workbench/mocks/endpoint-settings';

/** One service's `--endpoint <service>=<url>`: its URL and the flag as it was written, for messages. @internal */
export interface EndpointFlag {
  readonly url: string;
  readonly setting: string;
}

/**
 * Reads `--endpoint <service>=<url>`, repeatable, for `stepwright run` and `stepwright serve`:
 * each service one the forwarder sends to and each URL http or https, checked before anything
 * is loaded (a `__proto__=<url>` set on an object would be dropped without a word). A service
 * given two different URLs is refused, naming both, rather than keeping the last one silently;
 * the same setting repeated is the same endpoint.
 * @throws UsageError naming the flag as it was written and the fix
 * @internal
 */
export function readEndpointFlags(settings: readonly string[] | undefined): ReadonlyMap<string, EndpointFlag> {
  const out = new Map<string, EndpointFlag>();
  for (const setting of settings ?? []) {
    let service: string;
    let url: string;
    try {
      [service, url] = parseEndpointSetting(setting);
      endpointUrl(service, url);
    } catch (e) {
      if (e instanceof EndpointError) throw new UsageError(`--endpoint ${setting}: ${e.reason}`);
      throw e;
    }
    const earlier = out.get(service);
    if (earlier !== undefined && earlier.url !== url) {
      throw new UsageError(`--endpoint: ${service} is given two endpoints, ${earlier.url} (--endpoint ${earlier.setting}) and ${url} (--endpoint ${setting}); give one`);
    }
    out.set(service, { url, setting });
  }
  return out;
}

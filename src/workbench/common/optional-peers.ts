/*
 * Packages only some features need: optional peer dependencies, which a user
 * adds beside stepwright when they use the feature, so that every CDK app that
 * tests with stepwright does not install them (the MCP SDK and the AWS SDK
 * clients are most of what stepwright would otherwise add to an install).
 * Loaded here, on first use, with one message naming the package to add.
 */
import { CommandInputError } from './command-errors';

/**
 * Each optional peer and the range stepwright supports: package.json's
 * `peerDependencies` (test/optional-peers.test.ts keeps the two the same).
 * @internal
 */
export const OPTIONAL_PEERS = {
  '@aws-sdk/client-sfn': '^3.700.0',
  '@aws-sdk/client-lambda': '~3.1163.0',
  '@aws-sdk/client-sqs': '~3.1163.0',
  '@aws-sdk/client-sns': '~3.1163.0',
  '@aws-sdk/client-dynamodb': '~3.1163.0',
  '@aws-sdk/client-s3': '~3.1163.0',
  '@modelcontextprotocol/sdk': '1.32.2',
  'zod': '4.6.7',
} as const;

/** @internal */
export type OptionalPeer = keyof typeof OPTIONAL_PEERS;

/**
 * A feature was asked for whose package is not installed: names the package,
 * the feature and the command that adds it. The command line reports it as a
 * message with exit code 2, `stepwright mcp` as a tool error.
 */
export class MissingPackageError extends CommandInputError {
  /** The npm command that installs what is missing, e.g. `npm install -D @aws-sdk/client-sfn@^3.700.0`. */
  public readonly installCommand: string;

  /**
   * @param packages the packages that are not installed
   * @param feature what needs them, as the user asked for it (`the MCP server (stepwright mcp)`, `sending lambda Tasks to …`)
   */
  constructor(public readonly packages: readonly string[], public readonly feature: string) {
    const specs = packages.map((p) => (Object.hasOwn(OPTIONAL_PEERS, p) ? `${p}@${OPTIONAL_PEERS[p as OptionalPeer]}` : p));
    const installCommand = `npm install -D ${specs.join(' ')}`;
    const many = packages.length > 1;
    super(`${feature} needs ${packages.join(' and ')}, which ${many ? 'are' : 'is'} not installed (${many ? 'optional peer dependencies' : 'an optional peer dependency'} of stepwright); add ${many ? 'them' : 'it'} with: ${installCommand}`);
    this.name = 'MissingPackageError';
    this.installCommand = installCommand;
  }
}

/** How a module is found and loaded: Node's, or a test's in its place. @internal */
export interface ModuleLoader {
  resolve(specifier: string): string;
  load(specifier: string): unknown;
}

/* eslint-disable @typescript-eslint/no-require-imports -- synchronous loads, deferred to first use */
const nodeLoader: ModuleLoader = { resolve: (s) => require.resolve(s), load: (s) => require(s) };
/* eslint-enable @typescript-eslint/no-require-imports */

let loader: ModuleLoader = nodeLoader;

/**
 * Replaces how optional peers are found (for tests: as if one were not
 * installed); returns a function that puts Node's back.
 * @internal
 */
export function useModuleLoader(replacement: ModuleLoader): () => void {
  loader = replacement;
  return () => { loader = nodeLoader; };
}

/** True when Node could not find `specifier` itself (not a module it needs in turn). */
function isNotFound(e: unknown, specifier: string): boolean {
  return e instanceof Error && (e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && e.message.includes(`'${specifier}'`);
}

/**
 * Loads an optional peer (or a module of it: `subpath`), or throws
 * {@link MissingPackageError} naming it and `feature`.
 * @internal
 */
export function requireOptionalPeer<T>(pkg: OptionalPeer, feature: string, subpath = ''): T {
  const specifier = `${pkg}${subpath}`;
  try {
    // eslint-disable-next-line no-restricted-syntax -- a module's exports are what its own typings say (the caller names them: typeof import('yaml'))
    return loader.load(specifier) as T;
  } catch (e) {
    if (isNotFound(e, specifier)) throw new MissingPackageError([pkg], feature);
    throw e;
  }
}

/**
 * Checks that optional peers are installed before a feature starts, without
 * loading them: throws one {@link MissingPackageError} naming every one missing.
 * @param packages each package, or a package and the module of it that is loaded (`[pkg, '/server/index.js']`)
 * @internal
 */
export function checkOptionalPeers(feature: string, packages: ReadonlyArray<OptionalPeer | readonly [OptionalPeer, string]>): void {
  const missing: string[] = [];
  for (const entry of packages) {
    const [pkg, subpath] = typeof entry === 'string' ? [entry, ''] : entry;
    try {
      loader.resolve(`${pkg}${subpath}`);
    } catch (e) {
      if (!isNotFound(e, `${pkg}${subpath}`)) throw e;
      missing.push(pkg);
    }
  }
  if (missing.length > 0) throw new MissingPackageError(missing, feature);
}

/**
 * The forwarding of a service's Tasks, as a user asks for it: `--endpoint
 * lambda=…`, the `endpoints` option of a run, or a MockConfigFile's.
 * @internal
 */
export function forwardingFeature(service: string, endpoint: URL): string {
  if (service === 's3') return `the local S3's objects at ${endpoint.href} (--endpoint s3=…)`;
  return `sending ${service} Tasks to ${endpoint.href} (--endpoint ${service}=…)`;
}

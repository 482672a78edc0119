// Writes scripts/contracts/v3-errors.json.gz: the error shapes each operation raises, for the AWS SDK
// services whose models are newer than botocore's extract (scripts/contracts/botocore-errors.json.gz,
// botocore 1.29.27 of December 2022, predates them) and that no client this repository declares
// covers: Bedrock Runtime, Amazon Q Business, DataZone… Each comes from a pinned SDK for JavaScript v3
// client (`@aws-sdk/client-<id>`): the declaration of each command lists the errors the operation
// raises (`@throws {@link ThrottlingException} (client fault)`), as for the declared clients.
//
//   npx projen contracts:v3-errors
//   node -r ts-node/register/transpile-only scripts/extract-v3-errors.ts [--out <file>]
//
// The packages are fetched with `npm pack` into a temporary folder, never installed into this
// repository's dependencies, and the folder is removed after. The extract is committed: the generator
// (scripts/generate-service-contracts.ts) reads it, so the tables regenerate offline. It records each
// package's version and a digest of its own content, which test/contracts/tables.test.ts checks.
//
// EC2 is not here: none of the commands of @aws-sdk/client-ec2 3.1163.0 lists an error, for EC2's
// model names no error shape (its API answers codes such as InvalidInstanceID.NotFound).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { contentDigest, readGzJson, writeGzJson } from './contracts-extract-file';

const ROOT = path.join(__dirname, '..');
export const V3_EXTRACT = path.join(ROOT, 'scripts', 'contracts', 'v3-errors.json.gz');

/**
 * The clients read, each at its version no later than 3.1163.0 (the version of the clients the
 * repository declares): one per AWS SDK service of src/iam/sdk.ts whose operations botocore 1.29.27
 * lists no error for and no declared client covers. Six such services have no client under the
 * name `@aws-sdk/client-<serviceId>` in the registry (AppFabric, Control Catalog, Inspector Scan,
 * Route 53 Profiles, SSM Quick Setup, Supply Chain): their errors stay unknown.
 */
export const V3_CLIENTS: Readonly<Record<string, string>> = {
  '@aws-sdk/client-bcm-data-exports': '3.965.0',
  '@aws-sdk/client-bedrock-agent-runtime': '3.1163.0',
  '@aws-sdk/client-bedrock-runtime': '3.1163.0',
  '@aws-sdk/client-chatbot': '3.670.0',
  '@aws-sdk/client-cleanrooms': '3.1048.0',
  '@aws-sdk/client-cost-optimization-hub': '3.893.0',
  '@aws-sdk/client-datazone': '3.848.0',
  '@aws-sdk/client-entityresolution': '3.1048.0',
  '@aws-sdk/client-internetmonitor': '3.332.0',
  '@aws-sdk/client-mailmanager': '3.925.0',
  '@aws-sdk/client-medical-imaging': '3.958.0',
  '@aws-sdk/client-osis': '3.332.0',
  '@aws-sdk/client-payment-cryptography': '3.882.0',
  '@aws-sdk/client-qbusiness': '3.893.0',
  '@aws-sdk/client-timestream-influxdb': '3.956.0',
  '@aws-sdk/client-trustedadvisor': '3.1075.0',
  '@aws-sdk/client-verifiedpermissions': '3.932.0',
  '@aws-sdk/client-vpc-lattice': '3.1142.0',
  '@aws-sdk/client-workspaces-thin-client': '3.1138.0',
};

export interface V3Errors {
  /** Each client read and its version. */
  readonly packages: Record<string, string>;
  /** sha256 of `services` as JSON: a hand edit of the extract says so. */
  readonly digest: string;
  /** The client → each operation's error shapes. */
  readonly services: Record<string, { readonly operations: Record<string, string[]> }>;
}

/** Each operation's error shapes, from the `@throws` of its command's declaration in an SDK v3 client. */
export function v3Errors(dir: string): Map<string, string[]> {
  const commands = path.join(dir, 'dist-types', 'commands');
  const out = new Map<string, string[]>();
  for (const file of fs.readdirSync(commands).filter((f) => f.endsWith('Command.d.ts')).sort()) {
    const text = fs.readFileSync(path.join(commands, file), 'utf-8');
    const errors = [...text.matchAll(/@throws \{@link (\w+)\} \((?:client|server) fault\)/g)].map((m) => m[1]);
    out.set(file.slice(0, -'Command.d.ts'.length), [...new Set(errors)].sort());
  }
  return out;
}

export function digestOf(services: V3Errors['services']): string {
  return contentDigest(services);
}

/** Fetches each client's tarball with `npm pack` into a temporary folder and reads its command declarations. */
export function extract(clients: Readonly<Record<string, string>> = V3_CLIENTS): V3Errors {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'v3-errors-'));
  try {
    const services: Record<string, { operations: Record<string, string[]> }> = {};
    for (const name of Object.keys(clients).sort()) {
      const version = clients[name];
      const dir = fs.mkdtempSync(path.join(work, 'client-'));
      const tarball = execFileSync('npm', ['pack', `${name}@${version}`, '--silent', '--pack-destination', dir], { cwd: dir, encoding: 'utf-8' }).trim().split('\n').pop()!;
      execFileSync('tar', ['-xzf', path.join(dir, tarball), '-C', dir, 'package/dist-types/commands']);
      const operations = v3Errors(path.join(dir, 'package'));
      if (![...operations.values()].some((errors) => errors.length > 0)) throw new Error(`${name}@${version} lists no error for any operation`);
      services[name] = { operations: Object.fromEntries(operations) };
    }
    return { packages: Object.fromEntries(Object.keys(clients).sort().map((n) => [n, clients[n]])), digest: digestOf(services), services };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export function readV3Extract(file = V3_EXTRACT): V3Errors {
  return readGzJson<V3Errors>(file);
}

export function writeV3Extract(value: V3Errors, file = V3_EXTRACT): void {
  writeGzJson(value, file);
}

if (require.main === module) {
  const at = process.argv.indexOf('--out');
  const out = path.resolve(at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : V3_EXTRACT);
  const value = extract();
  writeV3Extract(value, out);
  console.log(`v3 clients: errors of ${Object.keys(value.services).length} services, ${fs.statSync(out).size} bytes in ${path.relative(process.cwd(), out)}`);
}

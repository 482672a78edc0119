import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workflow, record } from '../../src/testing';
import { MissingPackageError, OPTIONAL_PEERS, checkOptionalPeers, requireOptionalPeer, useModuleLoader, type ModuleLoader } from '../../src/workbench/common/optional-peers';

const ROOT = path.join(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'lib', 'cli', 'main.js');
const HIDE = path.join(__dirname, 'hide-packages.cjs');

/** Node's loader, with `hidden` packages not found, as when they are not installed. */
function without(...hidden: string[]): ModuleLoader {
  const notFound = (specifier: string): never => {
    const e = new Error(`Cannot find module '${specifier}'`) as NodeJS.ErrnoException;
    e.code = 'MODULE_NOT_FOUND';
    throw e;
  };
  const isHidden = (s: string): boolean => hidden.some((p) => s === p || s.startsWith(`${p}/`));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the real loader for what is not hidden
  return { resolve: (s) => (isHidden(s) ? notFound(s) : require.resolve(s)), load: (s) => (isHidden(s) ? notFound(s) : require(s)) };
}

describe('optional peer dependencies', () => {
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
    restore = undefined;
  });

  it("lists the same packages and ranges as package.json's optional peers", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    };
    const optional = Object.keys(pkg.peerDependenciesMeta).filter((p) => pkg.peerDependenciesMeta[p].optional);
    expect(Object.fromEntries(optional.map((p) => [p, pkg.peerDependencies[p]]))).toEqual(OPTIONAL_PEERS);
    // What every test needs stays a dependency: the CDK peers are not optional.
    expect(optional).not.toContain('aws-cdk-lib');
    expect(optional).not.toContain('constructs');
  });

  it('names the package, the feature and the npm command that adds it when a peer is not installed', () => {
    restore = useModuleLoader(without('@aws-sdk/client-sfn'));
    let thrown: unknown;
    try {
      requireOptionalPeer('@aws-sdk/client-sfn', 'reading executions from AWS');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(MissingPackageError);
    expect(thrown).toMatchObject({
      packages: ['@aws-sdk/client-sfn'],
      feature: 'reading executions from AWS',
      installCommand: 'npm install -D @aws-sdk/client-sfn@^3.700.0',
      message: 'reading executions from AWS needs @aws-sdk/client-sfn, which is not installed (an optional peer dependency of stepwright); add it with: npm install -D @aws-sdk/client-sfn@^3.700.0',
    });
  });

  it('stops stepwright parity before any call without @aws-sdk/client-sfn, naming it and how to add it', async () => {
    restore = useModuleLoader(without('@aws-sdk/client-sfn'));
    const { checkParity } = await import('../../src/workbench/parity');
    const cases = [{
      file: 'pass.json',
      case: {
        format: 'stepwright-parity-case' as const,
        version: 1,
        request: { definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } as never, stateName: 'P', input: {}, inspectionLevel: 'INFO' as const },
        aws: { status: 'SUCCEEDED' as const, output: {} },
      },
    }];
    await expect(checkParity({ cases }, { endpoint: 'http://127.0.0.1:9' })).rejects.toThrow(
      'checking states against TestState (stepwright parity) needs @aws-sdk/client-sfn, which is not installed (an optional peer dependency of stepwright); '
      + 'add it with: npm install -D @aws-sdk/client-sfn@^3.700.0');
  });

  it('names every missing package in one message and one command', () => {
    restore = useModuleLoader(without('@modelcontextprotocol/sdk', 'zod'));
    expect(() => checkOptionalPeers('the MCP server (stepwright mcp)', [['@modelcontextprotocol/sdk', '/server/index.js'], 'zod']))
      .toThrow('the MCP server (stepwright mcp) needs @modelcontextprotocol/sdk and zod, which are not installed (optional peer dependencies of stepwright); add them with: npm install -D @modelcontextprotocol/sdk@1.32.2 zod@4.6.7');
  });

  it('passes nothing when the peers are installed, and loads them', () => {
    expect(() => checkOptionalPeers('the MCP server', [['@modelcontextprotocol/sdk', '/server/index.js'], 'zod'])).not.toThrow();
    expect(requireOptionalPeer<{ SFNClient: unknown }>('@aws-sdk/client-sfn', 'x').SFNClient).toEqual(expect.any(Function));
  });

  it('passes on a module an installed peer cannot find itself (a broken install) as it is', () => {
    const broken = new Error("Cannot find module '@smithy/core'") as NodeJS.ErrnoException;
    broken.code = 'MODULE_NOT_FOUND';
    restore = useModuleLoader({ resolve: () => { throw broken; }, load: () => { throw broken; } });
    expect(() => requireOptionalPeer('@aws-sdk/client-sfn', 'x')).toThrow(broken);
    expect(() => checkOptionalPeers('x', ['@aws-sdk/client-sfn'])).toThrow(broken);
  });

  it('fails a run given a Lambda endpoint, before it starts, when @aws-sdk/client-lambda is not installed', async () => {
    restore = useModuleLoader(without('@aws-sdk/client-lambda'));
    const wf = Workflow.fromDefinition({ StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true } } });
    await expect(wf.run({}, { endpoints: { lambda: 'http://127.0.0.1:9' } })).rejects.toThrow(
      'sending lambda Tasks to http://127.0.0.1:9/ (--endpoint lambda=…) needs @aws-sdk/client-lambda, which is not installed (an optional peer dependency of stepwright); add it with: npm install -D @aws-sdk/client-lambda@~3.1163.0');
  });

  it('fails record() with the message when @aws-sdk/client-sfn is not installed', async () => {
    restore = useModuleLoader(without('@aws-sdk/client-sfn'));
    await expect(record('arn:aws:states:us-east-1:123456789012:execution:M:e', { endpoint: 'http://127.0.0.1:9' })).rejects.toBeInstanceOf(MissingPackageError);
  });
});

/** Runs the built `stepwright` with the given packages unresolvable; stdin is closed at once. */
function cliWithout(hidden: readonly string[], args: readonly string[]): Promise<{ code: number | null; err: string }> {
  const child = spawn(process.execPath, ['-r', HIDE, MAIN, ...args], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, STEPWRIGHT_TEST_HIDE: hidden.join(',') },
  });
  child.stdin.end();
  child.stdout.resume();
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { err += chunk; });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, err }));
  });
}

describe('the command line without an optional peer', () => {
  beforeAll(() => {
    if (!fs.existsSync(MAIN)) throw new Error('lib/ is not built: run `npm install`, which builds it');
  });

  it.each<[string, string[], string[], string]>([
    ['stepwright mcp', ['@modelcontextprotocol/sdk', 'zod'], ['mcp'],
      'stepwright mcp: the MCP server (stepwright mcp) needs @modelcontextprotocol/sdk and zod, which are not installed (optional peer dependencies of stepwright); add them with: npm install -D @modelcontextprotocol/sdk@1.32.2 zod@4.6.7\n'],
    ['stepwright record', ['@aws-sdk/client-sfn'], ['record', 'arn:aws:states:us-east-1:123456789012:execution:M:e', '--endpoint', 'http://127.0.0.1:9'],
      'stepwright record: reading executions from AWS (recordExecution, `stepwright record`, `stepwright diff`) needs @aws-sdk/client-sfn, which is not installed (an optional peer dependency of stepwright); add it with: npm install -D @aws-sdk/client-sfn@^3.700.0\n'],
    ['stepwright serve --endpoint lambda=…', ['@aws-sdk/client-lambda'], ['serve', '--port', '0', '--endpoint', 'lambda=http://127.0.0.1:9'],
      'stepwright serve: sending lambda Tasks to http://127.0.0.1:9/ (--endpoint lambda=…) needs @aws-sdk/client-lambda, which is not installed (an optional peer dependency of stepwright); add it with: npm install -D @aws-sdk/client-lambda@~3.1163.0\n'],
    ['stepwright serve --endpoint dynamodb=…', ['@aws-sdk/client-dynamodb'], ['serve', '--port', '0', '--endpoint', 'dynamodb=http://127.0.0.1:9'],
      'stepwright serve: sending dynamodb Tasks to http://127.0.0.1:9/ (--endpoint dynamodb=…) needs @aws-sdk/client-dynamodb, which is not installed (an optional peer dependency of stepwright); add it with: npm install -D @aws-sdk/client-dynamodb@~3.1163.0\n'],
    ['stepwright serve --endpoint s3=…', ['@aws-sdk/client-s3'], ['serve', '--port', '0', '--endpoint', 's3=http://127.0.0.1:9'],
      'stepwright serve: the local S3\'s objects at http://127.0.0.1:9/ (--endpoint s3=…) needs @aws-sdk/client-s3, which is not installed (an optional peer dependency of stepwright); add it with: npm install -D @aws-sdk/client-s3@~3.1163.0\n'],
  ])('%s says which package to add and exits with 2, without a stack trace', async (_name, hidden, args, message) => {
    expect(await cliWithout(hidden, args)).toEqual({ code: 2, err: message });
  }, 60_000);

  it('runs what needs no optional peer with all of them missing', async () => {
    const ex = 'examples/cli';
    const all = Object.keys(OPTIONAL_PEERS);
    expect(await cliWithout(all, ['run', `${ex}/order-processing.asl.json`, '--input', `@${ex}/input.json`, '--mocks', `${ex}/mocks.json`]))
      .toEqual({ code: 0, err: '' });
  }, 60_000);
});

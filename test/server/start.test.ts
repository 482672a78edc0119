import { execFile } from 'node:child_process';
import * as path from 'node:path';

const FIXTURE = path.join(__dirname, 'fixtures', 'loaded-at-start.js');

/** The src/ modules a fresh server process has loaded once it has answered (see the fixture). */
function loadedModules(args: string[] = []): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [FIXTURE, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as string[]);
    });
  });
}

const heavy = (files: string[]) => files.filter((f) => f.startsWith('asl/validate/') || f.startsWith('interpreter/') || f.startsWith('asl/jsonata'));

describe('serve: start', () => {
  it('answers its first request without loading the validator, the interpreter or JSONata', async () => {
    const loaded = await loadedModules();
    expect(loaded).toContain('server/service.ts');
    expect(heavy(loaded)).toEqual([]);
  }, 30_000);

  it('loads the validator and the interpreter when a state machine is created', async () => {
    expect(await loadedModules(['--create'])).toEqual(expect.arrayContaining(['asl/validate/index.ts', 'interpreter/state-machine.ts']));
  }, 30_000);

  // What the first request does not need is loaded on first use: `stepwright serve` is started by
  // test setups that wait for its first answer (docs/performance.md has the figures).
  it('stepwright serve answers its first request without the console, run\'s command, the CDK loaders, the contracts, the diagrams or node:https', async () => {
    const loaded = await loadedModules(['--cli', '--packages']);
    expect(loaded).toEqual(expect.arrayContaining(['cli/serve-command.ts', 'server/service.ts']));
    const deferred = loaded.filter((f) => f.startsWith('server/console/index') || f.startsWith('render/') || f.startsWith('cli/run-command')
      || f.startsWith('workbench/template/') || f.startsWith('cost/') || f.startsWith('iam/') || f.startsWith('contracts/')
      || ['package:yaml', 'package:@dagrejs/dagre', 'package:aws-cdk-lib', 'package:jsonata', 'node:https'].includes(f));
    expect(deferred).toEqual([]);
  }, 30_000);

  it('stepwright serve answers its first request without the forwarder, the journal, the MockConfigFile reader or the parameter files reader', async () => {
    const loaded = await loadedModules(['--cli']);
    expect(loaded).toEqual(expect.arrayContaining(['cli/serve-command.ts', 'server/service.ts']));
    // Each is loaded with the option that needs it: --endpoint (or a variable), --data-dir, --mock-config, --parameter.
    const deferred = ['workbench/mocks/endpoints.ts', 'asl/answer-outcomes.ts', 'asl/integrations.ts', 'asl/integration-outcomes.ts', 'server/journal/index.ts',
      'server/journal/compaction.ts', 'server/journal/recovery.ts', 'server/journal/format.ts', 'server/mock-config-file.ts',
      'workbench/mocks/mock-config.ts', 'workbench/common/parameter-overrides.ts'];
    expect(loaded.filter((f) => deferred.includes(f))).toEqual([]);
  }, 30_000);

  it('loads the MockConfigFile reader when a mock configuration is given', async () => {
    expect(await loadedModules(['--cli', '--mock-config'])).toEqual(expect.arrayContaining(['server/mock-config-file.ts', 'workbench/mocks/mock-config.ts']));
  }, 30_000);

  it('loads the console with its first page', async () => {
    expect(await loadedModules(['--cli', '--console'])).toEqual(expect.arrayContaining(['server/console/index.ts']));
  }, 30_000);
});

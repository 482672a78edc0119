import { execFile } from 'node:child_process';
import * as path from 'node:path';

const FIXTURE = path.join(__dirname, 'fixtures', 'loaded-by-run.js');

function loadedBy(args: readonly string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [FIXTURE, ...args], { timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as Record<string, unknown>);
    });
  });
}

// Every jest file pays for what importing stepwright/testing loads (jest gives each file a module
// registry of its own): explore's search and the Mermaid drawing wait until a test asks for them.
describe('stepwright/testing: what a test file loads', () => {
  it('runs a machine without loading explore or the Mermaid drawing', async () => {
    expect(await loadedBy([])).toMatchObject({ afterRun: [], constructsAfterRun: [], status: 'SUCCEEDED' });
  }, 120_000);

  it('runs and records the coverage of a machine without JSONata, re2js, jsonpath-plus or explore\'s solver', async () => {
    expect(await loadedBy([])).toMatchObject({ onFirstUseAfterRun: [], status: 'SUCCEEDED' });
  }, 120_000);

  it('loads neither the server, MCP, the CLI, the builders, the drawing, explore\'s search nor their packages at import or for a run', async () => {
    expect(await loadedBy([])).toMatchObject({ atImport: [], neverAfterRun: [], status: 'SUCCEEDED' });
  }, 120_000);

  it('runs a machine from a definition, the setup file loaded, without loading the YAML or TOML parsers', async () => {
    expect(await loadedBy([])).toMatchObject({ parsersAfterRun: [], status: 'SUCCEEDED' });
  }, 120_000);

  it('loads the setup file without the cost estimate, the permission check or the template loaders its matchers use on first use', async () => {
    expect(await loadedBy([])).toMatchObject({ afterSetup: [], status: 'SUCCEEDED' });
  }, 120_000);

  it('counts the coverage of a run whose history tells every branch without loading explore\'s Choice tracer', async () => {
    expect(await loadedBy([])).toMatchObject({ tracerAfterRun: [], status: 'SUCCEEDED' });
  }, 120_000);

  it('imports the harness and runs a machine without formatting a number through Intl, whose first use costs 40 to 60 ms', async () => {
    expect(await loadedBy([])).toMatchObject({ intlCalls: 0, status: 'SUCCEEDED' });
  }, 120_000);

  it('loads aws-cdk-lib only when a test hands it a stack, and still synthesizes and checks it then', async () => {
    expect(await loadedBy(['--stack'])).toMatchObject({ constructsAfterRun: [], stack: { status: 'SUCCEEDED', reports: 1 } });
  }, 120_000);

  it('loads them when a test explores and draws', async () => {
    expect(await loadedBy(['--explore'])).toMatchObject({ afterRun: [], afterExplore: ['workbench/workflow/explore-runner', 'explore/engine', 'render/mermaid'] });
  }, 120_000);
});

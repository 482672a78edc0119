import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Workflow } from '../../src/testing/workflow';
import { cleanupSynthOutput } from '../../src/workbench/template/synth-output';

function stackIn(app: App): Stack {
  const stack = new Stack(app, 'S');
  new sfn.StateMachine(stack, 'M', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')) });
  return stack;
}

describe('synthesis output in the temp dir', () => {
  it('removes the cdk.out folder aws-cdk-lib made for an App that fromStack synthesized', () => {
    const app = new App();
    Workflow.fromStack(stackIn(app));
    expect(fs.existsSync(app.outdir)).toBe(true);
    expect(cleanupSynthOutput()).toBeGreaterThanOrEqual(1);
    expect(fs.existsSync(app.outdir)).toBe(false);
  });

  it('never removes an outdir the user chose', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'chosen-'));
    try {
      const app = new App({ outdir });
      Workflow.fromStack(stackIn(app));
      cleanupSynthOutput();
      expect(fs.existsSync(path.join(outdir, 'manifest.json'))).toBe(true);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('is registered by the setup file to run after each test file', () => {
    const registered: Array<() => void> = [];
    const g = globalThis as unknown as { afterAll: (fn: () => void) => void; expect: unknown };
    const original = g.afterAll;
    const originalExpect = g.expect;
    g.afterAll = (fn) => { registered.push(fn); };
    // As when jest loads the setup file: outside any test.
    g.expect = { extend: () => undefined, addSnapshotSerializer: () => undefined, getState: () => ({}) };
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      jest.isolateModules(() => { require('../../src/testing/setup'); });
    } finally {
      g.afterAll = original;
      g.expect = originalExpect;
    }
    const app = new App();
    Workflow.fromStack(stackIn(app));
    expect(registered).toHaveLength(1);
    registered[0]();
    expect(fs.existsSync(app.outdir)).toBe(false);
  });
});

describe('fromStack({ silenceSynthWarnings })', () => {
  /** A stack whose synthesis prints, as deprecation notices and noisy constructs do. */
  function noisyStack(): Stack {
    const stack = stackIn(new App());
    Aspects.of(stack).add({ visit: () => { console.warn('[WARNING] something is deprecated'); process.emitWarning('deprecated thing'); } });
    return stack;
  }

  it('prints what aws-cdk-lib and the app print during synthesis, by default', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const emit = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      Workflow.fromStack(noisyStack());
      expect(warn).toHaveBeenCalledWith('[WARNING] something is deprecated');
      expect(emit).toHaveBeenCalledWith('deprecated thing');
    } finally {
      warn.mockRestore();
      emit.mockRestore();
    }
  });

  it('keeps it out of the test output when asked, and restores the console afterwards', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const emit = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const wf = Workflow.fromStack(noisyStack(), { silenceSynthWarnings: true });
      expect(wf.definition.StartAt).toBe('P');
      expect(warn).not.toHaveBeenCalled();
      expect(emit).not.toHaveBeenCalled();
      console.warn('after');
      expect(warn).toHaveBeenCalledWith('after');
    } finally {
      warn.mockRestore();
      emit.mockRestore();
    }
  });
});

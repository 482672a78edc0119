// explore's and verify's options (budgetSeconds, maxScenarios) have one home, explore/context.ts:
// their defaults and their check. The CLI and the jest harness state the same default and refuse
// the same bad value with the same rule, naming the option as each door spells it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_BUDGET_SECONDS, DEFAULT_MAX_SCENARIOS, positiveRule } from '../../src/explore/context';
import { Property, Workflow } from '../../src/testing';
import { cli } from '../cli/run-cli';

const PASS = { StartAt: 'P', States: { P: { Type: 'Pass' as const, End: true } } };

let dir: string;
let file: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'option-doors-'));
  file = path.join(dir, 'pass.asl.json');
  fs.writeFileSync(file, JSON.stringify(PASS));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("explore's and verify's options at every door", () => {
  it('state the same defaults in the CLI help as the search takes', async () => {
    const explore = await cli('explore', '--help');
    expect(explore.out).toContain(`--budget-seconds <s>        Time the search may take per state machine. Default: ${DEFAULT_BUDGET_SECONDS}\n`);
    expect(explore.out).toContain(`--max-scenarios <n>         The most scenarios to report. Default: ${DEFAULT_MAX_SCENARIOS}\n`);
    const verify = await cli('verify', '--help');
    expect(verify.out).toContain(`--budget-seconds <s>        Time the search may take. Default: ${DEFAULT_BUDGET_SECONDS}\n`);
  });

  it.each(['0', '-1', 'soon', 'Infinity'])('refuse a budget of %s with the same rule: the CLI\'s explore and verify, the harness\'s explore and verify', async (text) => {
    const rule = `must be ${positiveRule(false)}`;
    const explore = await cli('explore', file, '--budget-seconds', text);
    expect(explore.code).not.toBe(0);
    expect(explore.err).toContain(`--budget-seconds ${rule}, got '${text}'`);
    const verify = await cli('verify', file, '--property', path.join(dir, 'none.js'), '--budget-seconds', text);
    expect(verify.code).not.toBe(0);
    expect(verify.err).toContain(`--budget-seconds ${rule}, got '${text}'`);
    const wf = Workflow.fromDefinition(PASS);
    const value = Number(text);
    await expect(wf.explore({ budgetSeconds: value })).rejects.toThrow(`explore: budgetSeconds ${rule}, got ${JSON.stringify(value)}`);
    await expect(wf.verify({ never: Property.never('P') }, { budgetSeconds: value })).rejects.toThrow(`explore: budgetSeconds ${rule}, got ${JSON.stringify(value)}`);
  });

  it('refuse a fractional maxScenarios with the integer rule, at the CLI and the harness', async () => {
    const explore = await cli('explore', file, '--max-scenarios', '1.5');
    expect(explore.err).toContain(`--max-scenarios must be ${positiveRule(true)}, got '1.5'`);
    await expect(Workflow.fromDefinition(PASS).explore({ maxScenarios: 1.5 })).rejects.toThrow(`explore: maxScenarios must be ${positiveRule(true)}, got 1.5`);
  });
});

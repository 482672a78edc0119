import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkParity, loadCases } from '../../../src/workbench/parity';

/*
 * The conformance cases stepwright's suite takes in: each file of ./cases is a parity case
 * (`stepwright parity --write-cases` writes them, a user attaches one to a bug report), and
 * stepwright must answer its request as AWS's recorded answer says.
 */
const DIR = path.join(__dirname, 'cases');
const files = fs.existsSync(DIR) ? fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort() : [];

describe('the parity conformance cases in test/workbench/parity/cases', () => {
  if (files.length === 0) {
    it.skip('holds no case file yet: put one written by stepwright parity --write-cases there', () => undefined);
    return;
  }
  it.each(files)('%s: stepwright answers as AWS recorded', async (name) => {
    const report = await checkParity({ cases: loadCases([path.join(DIR, name)]) }, { recorded: true });
    expect(report.rows.filter((r) => r.verdict !== 'equal')).toEqual([]);
    expect(report.counts.equal).toBe(1);
  });
});

import { cli } from './run-cli';

// `stepwright run --mocks <file>` answers Tasks from a table; `serve` answers them through
// --handlers or a MockConfigFile. A user carrying the run's option to serve is told which.
describe('an option one command takes and another refuses', () => {
  it("says what serve takes instead of run's --mocks", async () => {
    const result = await cli('serve', '--load', 'cdk.out', '--mocks', 'mocks.json');
    expect(result.code).not.toBe(0);
    expect(result.err).toContain("'serve' takes no '--mocks': a Task is answered by --handlers <module>");
    expect(result.err).toContain('--mock-config <MockConfigFile>');
  });

  it('still lists every option for an option no command takes', async () => {
    const result = await cli('serve', '--mockz', 'x');
    expect(result.err).toContain("unknown option '--mockz' for 'serve'; it accepts --config-file");
  });
});

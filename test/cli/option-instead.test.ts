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

  it("says what run takes instead of serve's --mock-config, --handlers, --time-scale and --load", async () => {
    const said = async (...args: string[]): Promise<string> => {
      const result = await cli('run', 'machine.asl.json', ...args);
      expect(result.code).toBe(2);
      return result.err;
    };
    expect(await said('--mock-config', 'MockConfigFile.json')).toContain("'run' takes no '--mock-config': an AWS MockConfigFile is given as --mocks <MockConfigFile> --test-case <name>");
    expect(await said('--handlers', 'handlers.js')).toContain("'run' takes no '--handlers': a Task is answered by --mocks <file>");
    expect(await said('--handlers', 'handlers.js')).toContain('--endpoint lambda=<url>');
    expect(await said('--time-scale', '100')).toContain("'run' takes no '--time-scale': run's clock is virtual");
    expect(await said('--load', 'cdk.out')).toContain("'run' takes no '--load': the machine is the first argument: stepwright run <definition>");
  });

  it('still lists every option for an option no command takes', async () => {
    const result = await cli('serve', '--mockz', 'x');
    expect(result.err).toContain("unknown option '--mockz' for 'serve'; it accepts --config-file");
  });
});

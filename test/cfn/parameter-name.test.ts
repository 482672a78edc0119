/*
 * What a CloudFormation parameter's name may be: one rule (src/cfn/parameter-name.ts), which a
 * template's Parameters section, `--parameter` (its text forms and a parameters file) and MCP's
 * `parameters` all check by. A logical id is "alphanumeric (a-z, A-Z, 0-9)"
 * (parameters-section-structure.html).
 */
import { z } from 'zod';
import { isParameterName, PARAMETER_NAME_MAX_CHARS } from '../../src/cfn/parameter-name';
import { parametersFormatRefusal } from '../../src/cfn/parameters';
import { TOOLS } from '../../src/mcp/tools';
import { parameterArgument, parametersOfJson } from '../../src/workbench/common/parameter-overrides';

const NAMES = ['Stage', 'stage2', 'A', '0', 'my-stage', 'my_stage', 'My.Stage', 'Stage ', 'Étape', 'Stage\n', ''];

/** Whether each door takes `name` as a parameter's name. */
function doorsTaking(name: string): Record<string, boolean> {
  const takes = (read: () => unknown): boolean => {
    try {
      read();
      return true;
    } catch {
      return false;
    }
  };
  const run = TOOLS.find((tool) => tool.name === 'run')!;
  const parameters = (run.input.shape as Record<string, z.ZodType>).parameters;
  return {
    template: parametersFormatRefusal({ Parameters: { [name]: { Type: 'String' } } }) === undefined,
    parametersFile: takes(() => parametersOfJson([{ ParameterKey: name, ParameterValue: 'v' }], 'params.json')),
    parametersObject: takes(() => parametersOfJson({ Parameters: { [name]: 'v' } }, 'params.json')),
    mcp: parameters.safeParse({ [name]: 'v' }).success,
  };
}

describe("a CloudFormation parameter's name", () => {
  it('is letters and digits only', () => {
    expect(NAMES.filter(isParameterName)).toEqual(['Stage', 'stage2', 'A', '0']);
  });

  it.each(NAMES)('is taken or refused alike by a template, a parameters file and MCP: %j', (name) => {
    const expected = isParameterName(name);
    const all = { template: expected, parametersFile: expected, parametersObject: expected, mcp: expected };
    expect(doorsTaking(name)).toEqual(all);
  });

  it("is read whole from --parameter's Key=Value form, and a name of other characters is not read as one", () => {
    expect(parameterArgument('Stage2=dev')).toEqual([['Stage2', 'dev']]);
    expect(() => parameterArgument('my-stage=dev')).toThrow();
  });

  it(`is held to ${PARAMETER_NAME_MAX_CHARS} characters by MCP's schema`, () => {
    const run = TOOLS.find((tool) => tool.name === 'run')!;
    const parameters = (run.input.shape as Record<string, z.ZodType>).parameters;
    expect(parameters.safeParse({ ['A'.repeat(PARAMETER_NAME_MAX_CHARS)]: 'v' }).success).toBe(true);
    expect(parameters.safeParse({ ['A'.repeat(PARAMETER_NAME_MAX_CHARS + 1)]: 'v' }).success).toBe(false);
  });
});

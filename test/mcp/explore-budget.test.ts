/*
 * The budget of MCP's explore and verify calls: one default (EXPLORE_BUDGET_SECONDS, src/mcp/search-tools.ts),
 * applied by one function (exploreBudgetSeconds) and stated by each tool's schema; the most
 * scenarios' default is explore's own (DEFAULT_MAX_SCENARIOS, src/explore/context.ts).
 */
import type { z } from 'zod';
import { DEFAULT_MAX_SCENARIOS } from '../../src/explore/context';
import { EXPLORE_BUDGET_SECONDS, exploreBudgetSeconds } from '../../src/mcp/search-tools';
import { TOOLS } from '../../src/mcp/tools';

/** The description of one field of a tool's input. */
function described(tool: string, field: string): string {
  const spec = TOOLS.find((t) => t.name === tool)!;
  return (spec.input.shape as Record<string, z.ZodType>)[field].description ?? '';
}

describe("MCP's explore and verify budget", () => {
  it('runs a call that asks none with the default, and one that asks with its own, within no time bound', () => {
    expect(exploreBudgetSeconds(undefined, Infinity)).toBe(EXPLORE_BUDGET_SECONDS);
    expect(exploreBudgetSeconds(3, Infinity)).toBe(3);
  });

  it("lowers any budget to three quarters of the server's time bound for a call", () => {
    expect(exploreBudgetSeconds(60, 30_000)).toBe(22.5);
    expect(exploreBudgetSeconds(undefined, 4_000)).toBe(3);
  });

  it.each(['explore', 'verify'])('is stated by the %s tool as the default its calls run with, and the bound they are lowered to', (tool) => {
    const words = described(tool, 'budgetSeconds');
    expect(words).toMatch(new RegExp(`Default: ${EXPLORE_BUDGET_SECONDS}\\.$`));
    expect(words).toContain("At most three quarters of the server's --timeout (a larger value is lowered to it");
  });

  it("states explore's own default of the most scenarios", () => {
    expect(described('explore', 'maxScenarios')).toContain(`Default: ${DEFAULT_MAX_SCENARIOS}.`);
  });
});

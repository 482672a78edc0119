import { parse } from 'yaml';
import { ORDER, orderRuns, type OrderRuns } from './fixtures';
import type { StateMachineDefinition } from '../../src/asl/types';
import { executionPath, exportForWorkflowStudio, RenderError } from '../../src/render';

let runs: OrderRuns;
beforeAll(async () => { runs = await orderRuns(); });

/** A history as GetExecutionHistory returns it over the wire: dates as strings, JSON round-tripped. */
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('executionPath', () => {
  it('reads entered states, taken transitions and retries from a harness run', () => {
    const p = executionPath(ORDER, runs.succeeded);
    expect(p.status).toBe('SUCCEEDED');
    expect(p.states).toEqual({ 'Check "total" [€]': 1, 'Charge card': 1, 'Pack items': 1, 'Pack & label': 2, 'Pack': 2, '印刷 label': 2, 'Done': 1 });
    expect(p.transitions).toEqual({ 'Check "total" [€] -> Charge card': 1, 'Charge card -> Pack items': 1, 'Pack items -> Done': 1 });
    expect(p.retries).toEqual({ 'Charge card': 2 });
    expect(p.iterations).toEqual({ 'Pack items': 2, 'Pack & label': 4 });
    expect(p.failedState).toBeUndefined();
  });

  it('finds the state an execution failed in, inside a Parallel inside a Map, with its error', () => {
    const p = executionPath(ORDER, runs.broken);
    expect(p).toMatchObject({ status: 'FAILED', error: 'Printer.Jammed', cause: 'paper jam', failedState: '印刷 label' });
  });

  it('counts the failed iterations of a Map from its MapIterationFailed events', () => {
    expect(executionPath(ORDER, runs.succeeded).failedIterations).toEqual({});
    expect(executionPath(ORDER, runs.broken).failedIterations).toEqual({ 'Pack items': 1 });
  });

  it('counts a caught error as a taken Catch transition and ends in the Fail state', () => {
    const p = executionPath(ORDER, runs.declined);
    expect(p.transitions['Charge card -> Declined <b>#1</b>']).toBe(1);
    expect(p.failedState).toBe('Declined <b>#1</b>');
    expect(p.error).toBe('Order.Declined');
  });

  it('reads GetExecutionHistory output ({ events }) the same as the harness history', () => {
    const fromEvents = executionPath(ORDER, wire({ events: runs.succeeded.history }));
    const fromRun = executionPath(ORDER, runs.succeeded);
    expect(fromEvents).toEqual(fromRun);
  });

  it('reads `stepwright run --json --history` output, whose events carry only id, type and state', () => {
    const history = runs.succeeded.history.map((e) => {
      const d = (e.stateEnteredEventDetails ?? e.stateExitedEventDetails) as { name?: string } | undefined;
      return { id: e.id, type: e.type, ...(d?.name ? { state: d.name } : {}) };
    });
    const p = executionPath(ORDER, { status: 'SUCCEEDED', path: runs.succeeded.path, history });
    expect(p.states).toEqual(executionPath(ORDER, runs.succeeded).states);
    expect(p.retries).toEqual({ 'Charge card': 2 });
    expect(p.transitions).toEqual({ 'Check "total" [€] -> Charge card': 1, 'Charge card -> Pack items': 1, 'Pack items -> Done': 1 });
  });

  it('without a history, takes transitions from the path only where the definition has them', () => {
    const p = executionPath(ORDER, { status: 'FAILED', error: 'Printer.Jammed', path: runs.broken.path });
    expect(p.transitions).toEqual({ 'Check "total" [€] -> Charge card': 1, 'Charge card -> Pack items': 1 });
    expect(p.failedState).toBe('印刷 label');
  });

  it.each([
    [null, /not an object/],
    [{ status: 'FAILED' }, /neither 'history', 'events' nor 'path'/],
    [{ history: 'x' }, /'history' is not an array/],
  ])('refuses run data it cannot read with a RenderError: %j', (bad, message) => {
    expect(() => executionPath(ORDER, bad as never)).toThrow(RenderError);
    expect(() => executionPath(ORDER, bad as never)).toThrow(message);
  });
});

describe('exportForWorkflowStudio', () => {
  it('writes the definition as indented JSON that parses back to the same definition', () => {
    const text = exportForWorkflowStudio(ORDER);
    expect(text).toContain('\n  "StartAt": ');
    expect(JSON.parse(text)).toEqual(ORDER);
  });

  it('writes the definition as YAML that parses back to the same definition, JSONata kept intact', () => {
    const jsonata = { QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: '{% $states.input.a & "#" %}', End: true } } } as unknown as StateMachineDefinition;
    expect(parse(exportForWorkflowStudio(ORDER, 'yaml'))).toEqual(ORDER);
    expect(parse(exportForWorkflowStudio(jsonata, 'yaml'))).toEqual(jsonata);
  });

  it('refuses a definition Workflow Studio could not open, naming the dangling Next', () => {
    const bad = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Gone' } } } as unknown as StateMachineDefinition;
    expect(() => exportForWorkflowStudio(bad, 'yaml')).toThrow("state 'A' Next names 'Gone'");
  });
});

import { resumePointOf } from '../../../src/workbench/replay/resume-point';

describe('resumePointOf', () => {
  const states = { A: { Type: 'Pass' }, M: { Type: 'Map' }, B: { Type: 'Task' } } as never;
  const exited = (name: string, assignedVariables?: Record<string, unknown>) => ({
    type: 'PassStateExited', stateExitedEventDetails: { name, output: '{}', ...(assignedVariables ? { assignedVariables } : {}) },
  });

  it('restores the top-level variables assigned before the state it resumes at, last value first, from JSON text or parsed values', () => {
    const events = [
      { type: 'ExecutionStarted' },
      exited('A', { total: '1', name: '"first"' }),
      exited('iterationState', { inner: '5' }),
      exited('M', { total: 2 }),
      { type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'B', input: '{"x":1}' } },
      { type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'iterationTask', input: '{}' } },
      { type: 'TaskFailed' },
    ];
    expect(resumePointOf(states, events)).toEqual({ state: 'B', input: { x: 1 }, variables: { total: 2, name: 'first' } });
  });

  it('finds no resume point when no top-level state was entered', () => {
    expect(resumePointOf(states, [{ type: 'ExecutionStarted' }, { type: 'ExecutionFailed' }])).toBeUndefined();
  });
});

/** A pipeline whose first Next is mistyped: the 29 states after it are unreachable because of it. */
export function mistypedPipeline(): Record<string, unknown> {
  const steps = Array.from({ length: 28 }, (_, i) => `Step ${i + 1}`);
  const states: Record<string, unknown> = { Parse: { Type: 'Pass', Next: 'Route btach' } };
  states['Route batch'] = { Type: 'Choice', Choices: [{ Variable: '$.big', BooleanEquals: true, Next: steps[0] }], Default: steps[0] };
  steps.forEach((name, i) => { states[name] = i + 1 < steps.length ? { Type: 'Pass', Next: steps[i + 1] } : { Type: 'Succeed' }; });
  return { StartAt: 'Parse', States: states };
}

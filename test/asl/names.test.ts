import { nameProblem } from '../../src/asl/names';

describe('execution and resource names, as AWS InvalidName checks them', () => {
  it.each(['order-1', 'a'.repeat(80), 'Ünïcode_ok', '2024.01.01-run'])('accepts %j', (name) => {
    expect(nameProblem(name)).toBeUndefined();
  });

  it.each([
    ['', 'got an empty one'],
    ['a'.repeat(81), 'got 81'],
    ['has space', '" "'],
    ['tab\there', '"\\t"'],
    ['x<y', '"<"'],
    ['wild*', '"*"'],
    ['a/b', '"/"'],
    ['a:b', '":"'],
    ['ctl\u0007', '"\\u0007"'],
    ['c1\u0085', 'may not contain'],
  ])('refuses %j, saying why', (name, why) => {
    expect(nameProblem(name)).toContain(why);
  });

  it('refuses what is not a string', () => {
    expect(nameProblem(5)).toBe('a name must be a string, got number');
    expect(nameProblem(null)).toBe('a name must be a string, got null');
  });
});

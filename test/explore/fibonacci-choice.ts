/**
 * A JSONata Choice whose rule computes the n-th Fibonacci number by plain recursion: hundreds of
 * thousands of evaluation steps, seconds of JSONata from n = 20 on. The explore tests that bound
 * a search's time (the library, the CLI, the MCP server) give it to explore. With `guard` (such as
 * `$states.input.n > 0 and `) the recursion runs only once the guard holds, so a first run with
 * no input is quick.
 */
export function fibonacciChoice(n: number, guard = ''): Record<string, unknown> {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Check',
    States: {
      Check: {
        Type: 'Choice',
        Choices: [{ Condition: `{% ${guard}($fib := function($k) { $k < 2 ? $k : $fib($k - 1) + $fib($k - 2) }; $fib(${n}) = $states.input.n) %}`, Next: 'Yes' }],
        Default: 'No',
      },
      Yes: { Type: 'Succeed' },
      No: { Type: 'Succeed' },
    },
  };
}

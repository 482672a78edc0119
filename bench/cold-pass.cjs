// One cold start to count with `valgrind --tool=callgrind node bench/cold-pass.cjs [module]`:
// import the interpreter (stepwright/interpreter as a user imports it, or the module given),
// compile ../shared/bench's one-state Pass machine and run it once. With `none`, bare node.
const path = require('node:path');

const target = process.argv[2] ?? path.join(__dirname, '..', 'lib', 'entry', 'interpreter.js');
if (target !== 'none') {
  const { compileStateMachine } = require(path.resolve(target));
  const definition = { StartAt: 'Only', States: { Only: { Type: 'Pass', Parameters: { 'v.$': '$.v', k: 1 }, End: true } } };
  compileStateMachine(definition, { recordHistory: false }).start({ v: 41 }).result.then((r) => {
    if (r.status !== 'SUCCEEDED' || r.output.k !== 1) {
      console.error(`cold-pass: unexpected result ${JSON.stringify(r)}`);
      process.exitCode = 1;
    }
  });
}

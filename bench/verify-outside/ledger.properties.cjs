// Properties of the ledger posting (CommonJS .cjs): data flow through ResultPath null, InputPath, OutputPath.
const { Property } = require('stepwright/testing');
const entryOf = (run) => { const i = run.inputOf('Defaults'); return i !== null && typeof i === 'object' && !Array.isArray(i) ? i.entry : undefined; };
// An entry over 1000 is never posted.
exports.bigNeverPosted = (run) => {
  const e = entryOf(run);
  return !(e !== null && typeof e === 'object' && typeof e.amount === 'number' && e.amount > 1000 && run.visited('Post'));
};
// A succeeded run outputs the posting alone: { id }.
exports.outputIsPosting = (run) => run.status !== 'SUCCEEDED'
  || (run.output !== null && typeof run.output === 'object' && Object.keys(run.output).join() === 'id');
// The audit keeps its input: Post sees the entry the run was given (taskCalls gives a function's payload).
exports.postSeesEntry = (run) => {
  if (!run.visited('Post')) return true;
  return JSON.stringify(run.taskCalls('Post')[0]) === JSON.stringify(entryOf(run));
};
exports.auditBeforePost = Property.precedes('Audit', 'Post');
exports.postOnce = Property.atMost('Post', 1);
exports.rejectOnlyAfterCheck = Property.precedes('Check limit', 'Reject');
exports.short = Property.maxTransitions(5);

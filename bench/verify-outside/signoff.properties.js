// Properties of the sign-off (CommonJS .js with exports.name).
const { Property } = require('stepwright/testing');
exports.remindsAtMostTwice = Property.atMost('Remind', 2);
exports.asksAtMostThrice = Property.atMost('Request signature', 3);
exports.archivedOnlyWhenSigned = Property.precedes('Request signature', 'Archive');
exports.requestAnswered = Property.leadsTo('Request signature', ['Archive', 'Reminders left?', 'Refused', 'Not signed']);
exports.neverSignedAndRefused = { kind: 'run', description: 'signed and refused exclude each other', test: (run) => !(run.visited('Signed') && run.visited('Refused')) };
exports.knownEnds = Property.endsWith({ statuses: ['SUCCEEDED', 'FAILED'], errors: ['Contract.Refused', 'Contract.NotSigned'] });
// A signed contract's run outputs `signed: true` and nothing else.
exports.signedOutput = (run) => !run.visited('Signed') || (run.status === 'SUCCEEDED' && run.output.signed === true);

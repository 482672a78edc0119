// The root's `prepack`: `npm pack` or `npm publish` at the repository root would ship the
// contributors' package.json (scripts, devDependencies, jest block) and no src/ for the source
// maps. The package users install is packed from a staging folder by scripts/pack.mjs.
console.error([
  'stepwright is not packed from the repository root: that would ship the contributors\' package.json and no src/.',
  'Run `npx projen package` instead: it writes dist/js/stepwright-<version>.tgz (publish that file: npm publish dist/js/stepwright-<version>.tgz).',
].join('\n'));
process.exit(1);

// Run after tsc (`npx projen compile`): marks each import of an optional peer dependency in lib/'s
// declarations with `// @ts-ignore`, so that a user who has not installed it still compiles with
// skipLibCheck: false (TypeScript's default, and `cdk init`'s): the peer's types are then `any`,
// and exact once it is installed. tsc drops such comments from what it emits, hence this step.
// test/declarations.test.ts applies the same function to the declarations it type-checks.
//
//   node scripts/optional-peer-types.cjs [lib]
const fs = require('node:fs');
const path = require('node:path');

const MARK = '// @ts-ignore -- an optional peer dependency: its types are `any` until it is installed';

/** The optional peers package.json declares (peerDependenciesMeta). */
function optionalPeers(root) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  return Object.keys(pkg.peerDependenciesMeta ?? {}).filter((name) => pkg.peerDependenciesMeta[name].optional);
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * The declaration text with each `import … from '<peer>'` on one line after the mark. Any other
 * reference to a peer (an inline `import('<peer>')` type, a re-export) would still need it
 * installed, so it fails the build, naming the file.
 */
function markOptionalPeerImports(text, peers, file) {
  if (peers.length === 0) return text;
  const peer = `(?:${peers.map(escape).join('|')})(?:/[^'"]*)?`;
  const imports = new RegExp(`^(?:${escape(MARK)}\\n)?import ([^;]*?) from (['"])(${peer})\\2;$`, 'gm');
  const marked = text.replace(imports, (_all, what, quote, spec) => `${MARK}\nimport ${what.replace(/\s+/g, ' ')} from ${quote}${spec}${quote};`);
  const elsewhere = new RegExp(`import\\(\\s*['"]${peer}['"]\\s*\\)|^export [^;]*? from ['"]${peer}['"]`, 'm').exec(marked);
  if (elsewhere) {
    throw new Error(`${file}: '${elsewhere[0]}' needs an optional peer dependency to compile; import its types with \`import type … from\` at the top of the module instead`);
  }
  return marked;
}

function main() {
  const root = path.join(__dirname, '..');
  const lib = path.resolve(process.argv[2] ?? path.join(root, 'lib'));
  const peers = optionalPeers(root);
  const stack = [lib];
  let changed = 0;
  while (stack.length) {
    const dir = stack.pop();
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile() && e.name.endsWith('.d.ts')) {
        const text = fs.readFileSync(p, 'utf8');
        const marked = markOptionalPeerImports(text, peers, path.relative(root, p));
        if (marked !== text) {
          fs.writeFileSync(p, marked);
          changed += 1;
        }
      }
    }
  }
  if (changed > 0) console.log(`optional-peer-types: marked the optional peers' imports in ${changed} declaration file(s)`);
}

module.exports = { markOptionalPeerImports, optionalPeers, MARK };
if (require.main === module) main();

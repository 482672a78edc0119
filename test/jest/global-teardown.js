// Removes the scratch folder global-setup.js made the run's TMPDIR.
const fs = require('node:fs');

module.exports = async () => {
  const dir = process.env.STEPWRIGHT_TEST_TMPDIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
};

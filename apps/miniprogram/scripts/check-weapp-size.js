// Fails when the WeChat main package outgrows our budget (1 MiB; WeChat refuses 2 MiB) or a
// subpackage outgrows WeChat's 2 MiB. The main package is everything outside subpackage roots.
const fs = require('node:fs');
const path = require('node:path');

const MAIN_BUDGET = 1024 * 1024;
const SUBPACKAGE_CAP = 2 * 1024 * 1024;
const dist = path.resolve(__dirname, '../dist/weapp');

function sizeOf(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const full = path.join(dir, entry.name);
    return sum + (entry.isDirectory() ? sizeOf(full) : fs.statSync(full).size);
  }, 0);
}

const appJson = JSON.parse(fs.readFileSync(path.join(dist, 'app.json'), 'utf8'));
const roots = (appJson.subPackages ?? appJson.subpackages ?? []).map((p) => p.root.replace(/\/$/, ''));
const total = sizeOf(dist);
const subSizes = Object.fromEntries(roots.map((root) => [root, sizeOf(path.join(dist, root))]));
const main = total - Object.values(subSizes).reduce((a, b) => a + b, 0);
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

console.log(`weapp main package: ${kib(main)} (budget ${kib(MAIN_BUDGET)})`);
for (const [root, size] of Object.entries(subSizes)) console.log(`weapp subpackage ${root}: ${kib(size)} (cap ${kib(SUBPACKAGE_CAP)})`);

const problems = [];
if (roots.length === 0) problems.push('no subpackages in app.json: helper and staff pages must not be in the main package');
if (main > MAIN_BUDGET) problems.push(`main package ${kib(main)} is over the ${kib(MAIN_BUDGET)} budget`);
for (const [root, size] of Object.entries(subSizes)) if (size > SUBPACKAGE_CAP) problems.push(`subpackage ${root} is over 2 MiB`);
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}

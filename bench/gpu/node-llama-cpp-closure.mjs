// Prints the runtime dependency closure of node-llama-cpp (the Linux x64 CPU and Vulkan binary packages only),
// as folders relative to the checkout given as argv[2], for make-bundle.sh.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
const root = path.resolve(process.argv[2]);
const seen = new Set();
function resolveDep(fromDir, name) {
  let dir = fromDir;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
function visit(pkgDir) {
  if (seen.has(pkgDir)) return;
  seen.add(pkgDir);
  const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  for (const name of [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]) {
    if (name.startsWith('@node-llama-cpp/') && !['@node-llama-cpp/linux-x64', '@node-llama-cpp/linux-x64-vulkan'].includes(name)) continue;
    const dep = resolveDep(pkgDir, name);
    if (dep) visit(dep);
  }
}
visit(path.join(root, 'node_modules/node-llama-cpp'));
for (const dir of seen) console.log(path.relative(root, dir));

#!/usr/bin/env node
// The architecture's import rules, checked in CI (`npm run lint`):
// - the sandbox (src/sandbox/**) imports nothing from the product: only itself, src/lib/** and packages;
// - the product imports nothing from the sandbox, except src/demo/**, whose job is to start it;
// - src/lib/** holds small pure helpers that know neither side, and imports only itself.
// An emulator that shared the product's modules could share its misunderstandings too, and every test would
// still pass; keeping them apart is what makes the sandbox an independent check.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm;

function tsFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...tsFiles(path));
    else if (name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** Which part of the architecture a path (relative to src/, with `/`) belongs to. */
function zone(rel) {
  if (rel.startsWith("sandbox/")) return "sandbox";
  if (rel.startsWith("lib/")) return "lib";
  if (rel.startsWith("demo/")) return "demo";
  return "product";
}

const allowed = {
  sandbox: new Set(["sandbox", "lib"]),
  lib: new Set(["lib"]),
  demo: new Set(["demo", "product", "sandbox", "lib"]),
  product: new Set(["product", "lib", "demo"]),
};

/** Every import that breaks a rule, as `file: imports target (from zone → to zone)`. */
export function findBoundaryBreaches(srcDir) {
  const root = resolve(srcDir);
  const breaches = [];
  for (const file of tsFiles(root)) {
    const from = relative(root, file).split(sep).join("/");
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec?.startsWith(".")) continue; // packages and node: builtins are outside the rules
      const target = relative(root, resolve(dirname(file), spec)).split(sep).join("/");
      if (target.startsWith("..")) {
        breaches.push(`${from}: imports ${spec}, outside src/`);
        continue;
      }
      const a = zone(from);
      const b = zone(target);
      if (!allowed[a].has(b)) breaches.push(`${from}: imports ${target.replace(/\.js$/, ".ts")} (${a} → ${b})`);
    }
  }
  return breaches;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const src = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "..", "src");
  const breaches = findBoundaryBreaches(src);
  if (breaches.length > 0) {
    console.error(`${breaches.length} import(s) cross the sandbox/product boundary:`);
    for (const b of breaches) console.error(`  ${b}`);
    console.error("The sandbox may import only src/sandbox and src/lib; the product reaches the sandbox only through src/demo.");
    process.exit(1);
  }
  console.log("Import boundaries: sandbox, product, demo and lib keep to their rules.");
}

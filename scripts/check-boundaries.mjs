#!/usr/bin/env node
// The architecture's import rules, checked in CI (`npm run lint`):
// - the sandbox (src/sandbox/**) imports nothing from the product: only itself, src/lib/** and packages;
// - the product imports nothing from the sandbox, except src/demo/**, whose job is to start it;
// - src/lib/** holds small pure helpers that know neither side, and imports only itself;
// - no import circle runs through src/engine/** (the engine imports the clients; the clients must not import back).
// An emulator that shared the product's modules could share its misunderstandings too, and every test would
// still pass; keeping them apart is what makes the sandbox an independent check.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm;

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

/** Strongly connected components of size > 1 (Tarjan), each as a sorted list of files. */
function circles(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const out = [];
  let next = 0;
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

/** Every import that breaks a rule, as `file: imports target (from zone → to zone)`, and every engine circle. */
export function findBoundaryBreaches(srcDir) {
  const root = resolve(srcDir);
  const breaches = [];
  const graph = new Map();
  for (const file of tsFiles(root)) {
    const from = relative(root, file).split(sep).join("/");
    const text = readFileSync(file, "utf8");
    const edges = new Set();
    graph.set(from, edges);
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec?.startsWith(".")) continue; // packages and node: builtins are outside the rules
      const target = relative(root, resolve(dirname(file), spec))
        .split(sep)
        .join("/");
      if (target.startsWith("..")) {
        breaches.push(`${from}: imports ${spec}, outside src/`);
        continue;
      }
      edges.add(target.replace(/\.js$/, ".ts"));
      const a = zone(from);
      const b = zone(target);
      if (!allowed[a].has(b)) breaches.push(`${from}: imports ${target.replace(/\.js$/, ".ts")} (${a} → ${b})`);
    }
  }
  for (const scc of circles(graph)) {
    if (scc.some((f) => f.startsWith("engine/"))) breaches.push(`import circle through src/engine: ${scc.join(", ")}`);
  }
  return breaches;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const src = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "..", "src");
  const breaches = findBoundaryBreaches(src);
  if (breaches.length > 0) {
    console.error(`${breaches.length} import rule(s) broken:`);
    for (const b of breaches) console.error(`  ${b}`);
    console.error(
      "The sandbox may import only src/sandbox and src/lib; the product reaches the sandbox only through src/demo;",
    );
    console.error(
      "types the clients share with the engine belong in a leaf module such as src/engine/client-options.ts.",
    );
    process.exit(1);
  }
  console.log("Import boundaries: sandbox, product, demo and lib keep to their rules; no circle through src/engine.");
}

/** The sandbox/product import boundary that `npm run lint` enforces (scripts/check-boundaries.mjs). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without type declarations
import { findBoundaryBreaches } from "../../scripts/check-boundaries.mjs";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "boundaries-"));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("import boundaries", () => {
  it("the repository's src/ keeps them", () => {
    expect(findBoundaryBreaches(join(__dirname, "..", "..", "src"))).toEqual([]);
  });

  it("names a sandbox module that imports the product, statically or dynamically", () => {
    const root = tree({
      "sandbox/fleet/routes.ts": 'import { satisfies } from "../../fleet/semver.js";\nexport const a = 1;\n',
      "sandbox/azure/lazy.ts": 'export async function f() { return import("../../azure/names.js"); }\n',
      "fleet/semver.ts": "export const satisfies = () => true;\n",
      "azure/names.ts": "export const n = 1;\n",
    });
    const breaches = findBoundaryBreaches(root);
    expect(breaches).toHaveLength(2);
    expect(breaches.join("\n")).toContain("sandbox/fleet/routes.ts: imports fleet/semver.ts (sandbox → product)");
    expect(breaches.join("\n")).toContain("sandbox/azure/lazy.ts: imports azure/names.ts (sandbox → product)");
  });

  it("names a product module that imports the sandbox, and lets demo and lib through", () => {
    const root = tree({
      "commands/verify.ts": 'import type { Clock } from "../sandbox/common/clock.js";\nexport const v = 1;\n',
      "demo/start.ts": 'import { createClock } from "../sandbox/common/clock.js";\nimport { x } from "../lib/x.js";\n',
      "sandbox/common/clock.ts": 'import { x } from "../../lib/x.js";\nexport const createClock = x;\n',
      "lib/x.ts": "export const x = 1;\n",
    });
    expect(findBoundaryBreaches(root)).toEqual([
      "commands/verify.ts: imports sandbox/common/clock.ts (product → sandbox)",
    ]);
  });
});

describe("engine circles", () => {
  it("names a circle that runs through src/engine, type-only imports included", () => {
    const root = tree({
      "engine/clients.ts": 'type K = typeof import("../kibana/client.js");\nexport type C = K;\n',
      "kibana/client.ts":
        'import type { C } from "../engine/clients.js";\nexport const k: C | undefined = undefined;\n',
      "azure/a.ts": 'import { b } from "./b.js";\nexport const a = b;\n',
      "azure/b.ts": 'import type { a } from "./a.js";\nexport const b = 1;\n',
    });
    expect(findBoundaryBreaches(root)).toEqual([
      "import circle through src/engine: engine/clients.ts, kibana/client.ts",
    ]);
  });
});

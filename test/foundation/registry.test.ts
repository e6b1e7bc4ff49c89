import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli.js";
import { INPUT_TABLE_END, INPUT_TABLE_START, renderInputTable } from "../../src/config/docs.js";
import { inputs } from "../../src/config/registry.js";
import { configSchema } from "../../src/config/schema.js";
import { captureStream } from "../helpers/streams.js";

function schemaLeaves(node: unknown, prefix = ""): string[] {
  let n = node as { shape?: Record<string, unknown>; unwrap?: () => unknown };
  while (!n.shape && n.unwrap) n = n.unwrap() as typeof n;
  if (!n.shape) return [prefix];
  return Object.entries(n.shape).flatMap(([k, v]) => schemaLeaves(v, prefix ? `${prefix}.${k}` : k));
}

describe("the input registry is the one source", () => {
  it("has exactly one entry per leaf of the config schema", () => {
    expect(inputs.map((i) => i.key).sort()).toEqual(schemaLeaves(configSchema).sort());
  });

  it("gives secrets no flag, and every other input a unique flag and env var", () => {
    for (const def of inputs) {
      if (def.secret) expect(def.flag, def.key).toBeUndefined();
      else expect(def.flag, def.key).toMatch(/^--[a-z][a-z0-9-]+$/);
    }
    const flags = inputs.flatMap((i) => (i.flag ? [i.flag] : []));
    expect(new Set(flags).size).toBe(flags.length);
    const envs = inputs.map((i) => i.env);
    expect(new Set(envs).size).toBe(envs.length);
  });

  it("README.md's input table matches the registry (run `npm run docs` to regenerate)", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const start = readme.indexOf(INPUT_TABLE_START);
    const end = readme.indexOf(INPUT_TABLE_END);
    expect(start, "README.md lacks the inputs:start marker").toBeGreaterThan(0);
    const table = readme.slice(start + INPUT_TABLE_START.length, end).trim();
    expect(table, "README.md's input table is out of date: run `npm run docs`").toBe(renderInputTable());
  });

  it("setup --help-all lists every non-secret flag with its env var, and no secret", async () => {
    const stdout = captureStream();
    const program = buildProgram({ stdout, stderr: captureStream() }, () => {}, { all: true });
    await program.parseAsync(["node", "sentinel-elastic", "setup", "--help"]).catch(() => undefined);
    const help = stdout.text.replace(/\s+/g, " ");
    for (const def of inputs) {
      if (def.flag) {
        expect(help).toContain(def.flag);
        expect(help).toContain(def.env);
        if (def.type === "boolean") expect(help).toContain(`(--no-${def.flag.slice(2)} turns it off)`);
      }
    }
    expect(help).not.toMatch(/--api-key|--password|--client-secret/);
    expect(help).toContain("Examples:");
  });
});

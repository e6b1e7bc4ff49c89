/**
 * Secrets canary: `setup`, `plan`, `verify`, `teardown` and `demo` run with distinctive values for every
 * secret — an API key and a password registered in the Elastic sandbox, the way back's client secret (registered
 * with an app registration in the Azure sandbox and sent into the Fleet package policy), client secrets in the environment and
 * given (wrongly) as flags, and the Logic Apps callback URLs' `sig` values read from the Azure sandbox — and
 * everything printed (stdout, stderr, --json, --debug) and every file written is scanned: zero occurrences.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workflowSig } from "../../src/sandbox/azure/resources/workflows.js";
import { requireBuiltCli } from "../helpers/built-cli.js";
import { runCliInProcess } from "../helpers/run-cli.js";
import { runChild } from "./helpers/child-cli.js";
import { filesWrittenSince, type Leak, scanFiles, scanText } from "./helpers/leak-scan.js";
import { type SafetyWorld, startSafetyWorld } from "./helpers/safety-world.js";

const CANARY_USER = "canary-admin";
const FIXED = {
  password: "CanaryPassw0rd-Qx7Zt9Lm",
  integrationClientSecret: "CanaryClientSecret-Vb82NmKp",
  azureClientSecret: "CanaryAzureSecret-Hh31WwJd",
  flagApiKey: "CanaryFlagApiKey-Ee55RrTy",
  flagClientSecret: "CanaryFlagClientSecret-Uu09Ii",
};

let w: SafetyWorld;
const started = Date.now();
const canaries: Record<string, string> = { ...FIXED };
/** Everything the CLI printed, by run. */
const printed: Record<string, string> = {};
const extraDirs: string[] = [];

/** Env for a run: with the canary API key, or with the canary user and password instead. */
function secretsEnv(auth: "apiKey" | "password"): Record<string, string | undefined> {
  const common = {
    AZURE_CLIENT_SECRET: FIXED.azureClientSecret,
    SENTINEL_TO_ELASTIC_CLIENT_SECRET: FIXED.integrationClientSecret,
  };
  return auth === "apiKey"
    ? { ...common, ELASTIC_API_KEY: canaries.apiKey }
    : { ...common, ELASTIC_API_KEY: undefined, ELASTIC_USERNAME: CANARY_USER, ELASTIC_PASSWORD: FIXED.password };
}

async function run(label: string, args: string[], auth: "apiKey" | "password") {
  const r = await w.run(args, { env: secretsEnv(auth) });
  printed[`${label} stdout`] = r.stdout;
  printed[`${label} stderr`] = r.stderr;
  return r;
}

/** The `sig` of every workflow's manual trigger, as the sandbox signs it. */
function readSigs() {
  for (const wf of w.azure.state.list("Microsoft.Logic/workflows")) {
    const rec = w.azure.state.get(wf.id)!;
    canaries[`sig of ${wf.name}`] = workflowSig(rec.secrets.primaryKey!, rec.secrets.workflowKey!, "manual");
  }
}

beforeAll(async () => {
  w = await startSafetyWorld({ wayBack: { clientSecret: FIXED.integrationClientSecret } });
  w.elastic.state.addUser({ username: CANARY_USER, password: FIXED.password, superuser: true });
  const key = w.elastic.state.createApiKey({ name: "canary", owner: CANARY_USER });
  canaries.apiKey = key.encoded;
  canaries["apiKey secret part"] = Buffer.from(key.encoded, "base64").toString("utf8").split(":")[1]!;
}, 60_000);

afterAll(async () => {
  await w?.stop();
  for (const d of extraDirs) rmSync(d, { recursive: true, force: true });
});

describe("no secret is printed or written", () => {
  it("setup (end to end, --json --debug) succeeds with the canary API key", async () => {
    const r = await run("setup", ["setup", "--yes", "--non-interactive", "--json", "--debug"], "apiKey");
    expect(r.code, r.stderr).toBe(0);
    readSigs();
    // The canaries were in play: the client secret reached the Fleet package policy (where it belongs).
    expect(inspect(w.elastic.fleet.state, { depth: 12, maxStringLength: null })).toContain(
      FIXED.integrationClientSecret,
    );
    expect(Object.keys(canaries).filter((k) => k.startsWith("sig of ")).length).toBe(3);
  }, 180_000);

  it("plan, verify (--json and text, --debug) run with the canary password and API key", async () => {
    expect((await run("plan", ["plan", "--debug"], "password")).code).toBe(0);
    const v1 = await run("verify json", ["verify", "--json", "--debug"], "apiKey");
    expect(v1.code, v1.stderr).toBe(0);
    const v2 = await run("verify text", ["verify", "--debug", "--only", "case"], "password");
    expect(v2.code, v2.stderr).toBe(0);
  }, 180_000);

  it("a wrong password's error does not echo it", async () => {
    const r = await w.run(["plan", "--debug"], {
      env: { ...secretsEnv("password"), ELASTIC_PASSWORD: `${FIXED.password}-wrong` },
    });
    printed["wrong password stderr"] = r.stderr;
    printed["wrong password stdout"] = r.stdout;
    expect(r.code).toBe(4);
  }, 60_000);

  it("secrets given as flags are refused without being echoed", async () => {
    const a = await run("api key flag", ["setup", "--api-key", FIXED.flagApiKey, "--json", "--debug"], "apiKey");
    const b = await run(
      "client secret flag",
      ["plan", `--client-secret=${FIXED.flagClientSecret}`, "--debug"],
      "apiKey",
    );
    expect([a.code, b.code]).toEqual([3, 3]);
  }, 60_000);

  it("the built CLI as a process, with a fresh HOME and TMPDIR (--json --debug)", async () => {
    requireBuiltCli();
    const home = mkdtempSync(join(tmpdir(), "se-canary-home-"));
    const tmp = mkdtempSync(join(tmpdir(), "se-canary-tmp-"));
    extraDirs.push(home, tmp);
    const r = await runChild(w, ["plan", "--json", "--debug"], {
      env: { ...secretsEnv("password"), HOME: home, TMPDIR: tmp },
    });
    printed["process plan stdout"] = r.stdout;
    printed["process plan stderr"] = r.stderr;
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);

  it("teardown (--json --debug) removes everything with the canary password", async () => {
    const r = await run("teardown", ["teardown", "--yes", "--non-interactive", "--json", "--debug"], "password");
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);

  it("demo (--json --debug) prints no credential and no unredacted sig", async () => {
    const r = await runCliInProcess(["demo", "--json", "--debug"], { env: { CI: "true", NO_COLOR: "1" } });
    printed["demo stdout"] = r.stdout;
    printed["demo stderr"] = r.stderr;
    expect(r.code, r.stderr).toBe(0);
  }, 240_000);

  it("the secrets were on the output paths, redacted: [REDACTED] inputs in --json, sig=[REDACTED] in URLs", () => {
    const doc = JSON.parse(printed["setup stdout"]!) as { inputs: Record<string, unknown> };
    expect(doc.inputs["elastic.apiKey"]).toBe("[REDACTED]");
    expect(Object.values(printed).join("\n")).toContain("sig=[REDACTED]");
  });

  it("the scanner finds a planted canary and an unredacted sig (it can fail)", () => {
    expect(scanText({ planted: `key ${canaries.apiKey}` }, canaries).map((l) => l.canary)).toContain("apiKey");
    expect(scanText({ planted: "https://x/invoke?sv=1.0&sig=AbCdEfGh12345678" }, {}).map((l) => l.canary)).toEqual([
      "unredacted sig",
    ]);
  });

  it("zero occurrences of any canary or secret shape in everything printed", () => {
    expect(Object.keys(printed).length).toBeGreaterThanOrEqual(16);
    const leaks: Leak[] = scanText(printed, canaries);
    expect(leaks).toEqual([]);
  });

  it("zero occurrences in every file written: the config folder, temporary files, a fresh HOME", () => {
    const files = [w.dir, tmpdir(), ...extraDirs].flatMap((d) => filesWrittenSince(d, started));
    expect(files.length).toBeGreaterThan(0);
    expect(scanFiles(files, canaries)).toEqual([]);
  });
});

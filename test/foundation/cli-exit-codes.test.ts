import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  AbortedError,
  AuthError,
  InputError,
  PreconditionError,
  RemoteError,
  VerificationError,
} from "../../src/errors.js";
import { clearRegisteredSecrets } from "../../src/redact.js";
import { tempDir, type TempDir, VALID_ENV } from "../helpers/config-env.js";
import { fakeStep } from "../helpers/fake-steps.js";
import { runCliInProcess } from "../helpers/run-cli.js";

let dir: TempDir;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  dir.remove();
  clearRegisteredSecrets();
});

const create = { resource: "connector", name: "c1", action: "create" as const, reason: "not found" };

function throwingStep(error: unknown) {
  return fakeStep({
    id: "s",
    changes: [create],
    log: [],
    onApply: () => {
      throw error;
    },
  });
}

const run = (args: string[], steps = [fakeStep({ id: "s", changes: [create], log: [] })], env = { ...VALID_ENV }) =>
  runCliInProcess(args, { env, cwd: dir.path, steps });

describe("exit codes come from the error class, through one handler", () => {
  it.each([
    ["InputError", new InputError("bad input", { code: "BAD", suggestion: "fix it" }), 3],
    ["AuthError", new AuthError("Kibana said 401", { code: "KIBANA_UNAUTHORIZED", suggestion: "check the key" }), 4],
    [
      "PreconditionError",
      new PreconditionError("Kibana 8.1 is too old", { code: "KIBANA_TOO_OLD", suggestion: "upgrade" }),
      5,
    ],
    ["VerificationError", new VerificationError("check failed", { code: "VERIFY_FAILED", suggestion: "re-run" }), 6],
    ["AbortedError", new AbortedError("Aborted."), 130],
    [
      "RemoteError",
      new RemoteError("Azure 503 after retries", { code: "AZURE_UNAVAILABLE", remote: "azure", suggestion: "re-run" }),
      1,
    ],
  ])(
    "%s exits with its class's code, printing `Error [CODE]: message` and `→ suggestion`",
    async (_name, error, code) => {
      const result = await run(["setup", "--yes"], [throwingStep(error)]);
      expect(result.code).toBe(code);
      const e = error as InputError;
      if (code === 130) {
        expect(result.stderr.trim().split("\n").at(-1)).toBe("Aborted.");
      } else {
        expect(result.stderr).toContain(`Error [${e.code}]: ${e.message}`);
        expect(result.stderr).toContain(`→ ${e.suggestion}`);
      }
      expect(result.stderr).not.toMatch(/\n\s+at /);
    },
  );

  it("an unexpected error exits 1 with a short message and no stack", async () => {
    const result = await run(["setup", "--yes"], [throwingStep(new TypeError("cannot read x of undefined"))]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Error [UNEXPECTED]: cannot read x of undefined");
    expect(result.stderr).toContain("--debug");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("--debug adds the stack", async () => {
    const result = await run(["setup", "--yes", "--debug"], [throwingStep(new TypeError("kaboom"))]);
    expect(result.stderr).toMatch(/TypeError: kaboom\n\s+at /);
  });

  it("setup with no steps yet says it is not built and exits 1 (no fake success)", async () => {
    const result = await run(["setup", "--yes"], []);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Error [NOT_IMPLEMENTED]: setup is not built yet.");
    expect(result.stdout).toBe("");
  });

  it("teardown plans with its steps; deletes are destructive: refused without --yes (exit 3), done with it", async () => {
    const log: string[] = [];
    const del = [{ resource: "connector", name: "c1", action: "delete" as const, reason: "made by setup" }];
    const refused = await run(["teardown"], [fakeStep({ id: "t", changes: del, log, noVerify: true })]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("Error [CONFIRMATION_REQUIRED]");
    expect(refused.stdout).toMatch(/connector\s+c1\s+- delete/);
    expect(log.some((l) => l.startsWith("apply"))).toBe(false);
    const done = await run(["teardown", "--yes"], [fakeStep({ id: "t", changes: del, log, noVerify: true })]);
    expect(done.code).toBe(0);
    expect(log).toContain("apply-start t c1");
  });

  it("missing inputs exit 3 listing every one, before any step runs", async () => {
    const log: string[] = [];
    const result = await runCliInProcess(["setup"], { env: {}, cwd: dir.path, steps: [fakeStep({ id: "s", log })] });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("Error [INPUT_MISSING]: 6 missing inputs");
    expect(result.stderr).toContain(
      "elastic.kibanaUrl is missing; set with --kibana-url, KIBANA_URL, or elastic.kibanaUrl",
    );
    expect(result.stderr).toContain("sentinel.workspaceName is missing; set with --workspace");
    expect(log).toEqual([]);
  });

  it("a usage error (unknown option) exits 3 with a suggestion", async () => {
    const result = await run(["setup", "--kibana-ulr", "x"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/Error \[USAGE\]: unknown option '--kibana-ulr'.*Did you mean --kibana-url/);
  });

  it("plan --detailed-exitcode exits 2 when there are changes, 0 when there are none", async () => {
    expect((await run(["plan", "--detailed-exitcode"])).code).toBe(2);
    expect((await run(["setup", "--dry-run", "--detailed-exitcode"])).code).toBe(2);
    const noop = [fakeStep({ id: "s", changes: [{ ...create, action: "no-op" }], log: [] })];
    expect((await run(["plan", "--detailed-exitcode"], noop)).code).toBe(0);
    expect((await run(["plan"])).code).toBe(0);
  });

  it("plan prints the table on stdout and progress on stderr", async () => {
    const result = await run(["plan"]);
    expect(result.stdout).toMatch(/TARGET\s+RESOURCE\s+NAME\s+ACTION\s+REASON/);
    expect(result.stdout).not.toContain("Reading fake s");
    expect(result.stderr).toContain("fake s: 1 change");
    expect(result.stderr).not.toContain("TARGET");
  });

  it("flags generated from the registry reach the config (booleans with --no-x, lists comma-separated)", async () => {
    const seen: Record<string, unknown> = {};
    const step = fakeStep({
      id: "s",
      log: [],
      onPlan: (ctx) => {
        seen.caseSync = ctx.config.features.caseSync;
        seen.index = ctx.config.rule.index;
        seen.space = ctx.config.elastic.space;
      },
    });
    const result = await run(
      ["plan", "--no-case-sync", "--rule-index", "logs-*,auditbeat-*", "--space", "soc"],
      [step],
    );
    expect(result.code).toBe(0);
    expect(seen).toEqual({ caseSync: false, index: ["logs-*", "auditbeat-*"], space: "soc" });
  });
});

describe("secrets are refused as flags", () => {
  it.each([
    ["--api-key", "ELASTIC_API_KEY"],
    ["--password", "ELASTIC_PASSWORD"],
    ["--elastic-password", "ELASTIC_PASSWORD"],
    ["--client-secret", "SENTINEL_TO_ELASTIC_CLIENT_SECRET"],
    ["--azure-client-secret", "AZURE_CLIENT_SECRET"],
    ["--apikey", "ELASTIC_API_KEY"],
    ["--storage-account-key", "SENTINEL_TO_ELASTIC_STORAGE_ACCOUNT_KEY"],
  ])("%s exits 3, names %s, and never echoes the value", async (flag, envName) => {
    const canary = "flag-canary-V4lu3-9981";
    for (const args of [[flag, canary], [`${flag}=${canary}`]]) {
      const result = await run(["setup", ...args]);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain("Error [SECRET_AS_FLAG]");
      expect(result.stderr).toContain(envName);
      expect(result.stderr + result.stdout).not.toContain(canary);
    }
  });
});

describe("--json always yields one document", () => {
  it("even for a usage error", async () => {
    const result = await run(["plan", "--json", "--bogus"]);
    expect(result.code).toBe(3);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, command: "plan", error: { code: "USAGE", exitCode: 3 } });
  });

  it("with the plan, resources and checks of a successful run, and nothing else on stdout", async () => {
    const result = await run(["setup", "--yes", "--no-verify", "--json"]);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.command).toBe("setup");
    expect(doc.inputs["elastic.apiKey"]).toBe("[REDACTED]");
    expect(doc.inputs["elastic.kibanaUrl"]).toBe("https://kibana.example.test:5601");
    expect(doc.plan).toEqual([
      { step: "s", target: "kibana", resource: "connector", name: "c1", action: "create", reason: "not found" },
    ]);
    expect(doc.resources[0]).toMatchObject({ name: "c1", status: "applied" });
    expect(doc.checks[0]).toMatchObject({ status: "pass" });
    expect(doc.error).toBeUndefined();
  });
});

describe("command options", () => {
  it("verify --timeout takes durations and refuses anything else with exit 3", async () => {
    const { parseDuration } = await import("../../src/cli.js");
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("15m")).toBe(900_000);
    expect(parseDuration("1h")).toBe(3_600_000);
    const bad = await run(["verify", "--timeout", "soon"]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain("expected a duration such as 90s, 15m or 1h");
  });

  it("verify --only accepts case or alerts, nothing else", async () => {
    const bad = await run(["verify", "--only", "everything"]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/Allowed choices are case, alerts/);
  });
});

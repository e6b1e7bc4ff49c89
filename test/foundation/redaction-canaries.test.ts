/**
 * Canary secrets through every output path: stderr (messages, progress, errors, stacks), stdout (tables),
 * --json (the document, error included) and --debug (HTTP lines). Zero occurrences allowed.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SentinelElasticError } from "../../src/errors.js";
import { clearRegisteredSecrets } from "../../src/redact.js";
import { tempDir, type TempDir, VALID_ENV } from "../helpers/config-env.js";
import { fakeStep } from "../helpers/fake-steps.js";
import { runCliInProcess } from "../helpers/run-cli.js";

// The Kibana client is replaced by one that reports an HTTP exchange, so the --debug HTTP line is exercised
// through ClientOverrides.onHttp exactly as a real client does it.
vi.mock("../../src/kibana/client.js", () => ({
  createKibanaClient: async (_config: unknown, overrides: { onHttp?: (e: unknown) => void }) => ({
    get(url: string) {
      overrides.onHttp?.({ remote: "kibana", method: "GET", url, status: 200, durationMs: 12.3 });
    },
  }),
}));

const CANARY = {
  apiKey: "canary-apikey-Zx81QwRt",
  password: "canary-password-Hm42Lp",
  clientSecret: "canary-clientsecret-Pq77Vb",
  sig: "CANARYSIGabc123def456",
  bearer: "canaryBearerToken0123456789",
  jwt: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnlfand0In0.Y2FuYXJ5X2p3dF9zaWduYXR1cmU",
};
const SIG_URL = `https://prod-07.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-10-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${CANARY.sig}`;
const ALL = `key ${CANARY.apiKey} pw ${CANARY.password} cs ${CANARY.clientSecret} url ${SIG_URL} Authorization: Bearer ${CANARY.bearer} jwt ${CANARY.jwt}`;

const env = {
  ...VALID_ENV,
  ELASTIC_API_KEY: CANARY.apiKey,
  ELASTIC_USERNAME: "elastic",
  ELASTIC_PASSWORD: CANARY.password,
  AZURE_CLIENT_SECRET: CANARY.clientSecret,
};

function leakyStep(options: { fail?: boolean } = {}) {
  return fakeStep({
    id: "leaky",
    log: [],
    changes: [
      {
        resource: "Logic App workflow",
        name: "wf",
        action: "update",
        reason: `callback ${SIG_URL}`,
        diff: [{ field: "url", from: SIG_URL, to: CANARY.jwt }],
      },
    ],
    checks: [{ id: "c", title: "workflow reachable", status: "pass", evidence: ALL }],
    onPlan: async (ctx) => {
      ctx.io.message("info", ALL);
      ctx.io.message("warn", ALL);
      ctx.io.message("debug", ALL);
      ctx.io.progress(ALL).succeed(ALL);
      ctx.io.result(ALL);
      const kibana = (await ctx.clients.kibana()) as unknown as { get(url: string): void };
      kibana.get(`https://kb.example.test/api/actions/connector?${SIG_URL.split("?")[1]}`);
    },
    onApply: () => {
      if (options.fail) {
        throw new SentinelElasticError(`apply failed: ${ALL}`, { code: "LEAK_TEST", suggestion: `retry with ${ALL}` });
      }
    },
  });
}

function expectNoCanary(text: string) {
  for (const [name, value] of Object.entries(CANARY)) {
    expect(text, `${name} leaked`).not.toContain(value);
  }
  // Pieces of the JWT must not survive either.
  for (const part of CANARY.jwt.split(".")) expect(text).not.toContain(part);
}

let dir: TempDir;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  dir.remove();
  clearRegisteredSecrets();
});

describe("no canary secret reaches any output", () => {
  it("stderr and stdout, with --debug, on success", async () => {
    const result = await runCliInProcess(["setup", "--yes", "--no-verify", "--debug"], {
      env,
      cwd: dir.path,
      steps: [leakyStep()],
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("debug: kibana GET https://kb.example.test/api/actions/connector?");
    expect(result.stderr).toMatch(/→ 200 \(12 ms\)/);
    expect(result.stdout).toContain("[REDACTED]");
    expectNoCanary(result.stdout);
    expectNoCanary(result.stderr);
  });

  it("stderr on failure, including the --debug stack", async () => {
    const result = await runCliInProcess(["setup", "--yes", "--no-verify", "--debug"], {
      env,
      cwd: dir.path,
      steps: [leakyStep({ fail: true })],
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Error [LEAK_TEST]");
    expect(result.stderr).toMatch(/\n\s+at /);
    expectNoCanary(result.stderr);
    expectNoCanary(result.stdout);
  });

  it("--json: one document on stdout, secrets redacted in inputs, plan, checks and error", async () => {
    for (const fail of [false, true]) {
      const result = await runCliInProcess(["setup", "--yes", "--no-verify", "--json", "--debug"], {
        env,
        cwd: dir.path,
        steps: [leakyStep({ fail })],
      });
      expectNoCanary(result.stdout);
      expectNoCanary(result.stderr);
      const doc = JSON.parse(result.stdout);
      expect(doc.inputs["elastic.apiKey"]).toBe("[REDACTED]");
      expect(doc.inputs["elastic.password"]).toBe("[REDACTED]");
      if (fail) expect(doc.error).toMatchObject({ code: "LEAK_TEST", exitCode: 1 });
      else expect(doc.checks[0].evidence).toContain("[REDACTED]");
    }
  });
});

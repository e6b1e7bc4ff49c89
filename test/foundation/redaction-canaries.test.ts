/**
 * Canary secrets through every output path: stderr (messages, progress, errors, stacks), stdout (tables),
 * --json (the document, error included) and --debug (HTTP lines). Zero occurrences allowed.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SentinelElasticError } from "../../src/errors.js";
import { clearRegisteredSecrets } from "../../src/redact.js";
import { tempDir, type TempDir, VALID_ENV } from "../helpers/config-env.js";
import { fakeStep } from "../helpers/fake-steps.js";
import { runCliInProcess } from "../helpers/run-cli.js";

// A stand-in Kibana on 127.0.0.1, so the --debug HTTP line comes from the real Kibana client's request (with a
// sig in its query) through ClientOverrides.onHttp.
let kibanaServer: Server;
let kibanaUrl: string;
beforeAll(async () => {
  kibanaServer = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { "content-type": "application/json", "kbn-name": "kb" });
    res.end("[]");
  });
  await new Promise<void>((r) => kibanaServer.listen(0, "127.0.0.1", r));
  kibanaUrl = `http://127.0.0.1:${(kibanaServer.address() as AddressInfo).port}`;
  env.KIBANA_URL = kibanaUrl;
});
afterAll(() => {
  kibanaServer.closeAllConnections();
  kibanaServer.close();
});

const CANARY = {
  apiKey: "canary-apikey-Zx81QwRt",
  password: "canary-password-Hm42Lp",
  clientSecret: "canary-clientsecret-Pq77Vb",
  sig: "CANARYSIGabc123def456",
  bearer: "canaryBearerToken0123456789",
  jwt: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnlfand0In0.Y2FuYXJ5X2p3dF9zaWduYXR1cmU",
};
const SIG_URL = `https://127.0.0.1:8443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-10-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${CANARY.sig}`;
const ALL = `key ${CANARY.apiKey} pw ${CANARY.password} cs ${CANARY.clientSecret} url ${SIG_URL} Authorization: Bearer ${CANARY.bearer} jwt ${CANARY.jwt}`;

const env: Record<string, string> = {
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
      const kibana = await ctx.clients.kibana();
      await kibana.http.request({
        method: "GET",
        path: "/api/actions/connectors",
        query: Object.fromEntries(new URL(SIG_URL).searchParams),
      });
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
    // The request carried the sig in its query; the debug line shows the route, not the query.
    expect(result.stderr).toMatch(
      new RegExp(`debug: kibana GET ${kibanaUrl.replace(/\./g, "\\.")}/api/actions/connectors → 200 \\(\\d+ ms\\)`),
    );
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

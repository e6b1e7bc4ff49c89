/**
 * Bad input catalogue: every input a user really gets wrong ends with the exact exit code, a message
 * naming the input and the fix, no stack trace, within a bound, and with nothing changed in Kibana or Azure.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, requireBuiltCli, runBuiltCli } from "../helpers/built-cli.js";
import type { CliRun } from "../helpers/run-cli.js";
import { type BadInputCase, cases, type Places } from "./bad-input-cases.js";
import { LOCATION, RG_EAST, type SafetyWorld, startSafetyWorld } from "./helpers/safety-world.js";

/** A run that takes longer than this is a hang (a bound, not a timing assertion). */
const HANG_MS = 45_000;
const STACK = /\n\s+at .+[:(]\d+:\d+/;

let w: SafetyWorld;
let web: Server;
let places: Places;

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

beforeAll(async () => {
  w = await startSafetyWorld();
  web = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<!doctype html><html><body>It works!</body></html>");
  });
  const webPort = await listen(web);
  const closed = createServer();
  const closedPort = await listen(closed);
  await new Promise<void>((r) => closed.close(() => r()));
  places = { closedPort, webServerUrl: `http://127.0.0.1:${webPort}`, dir: w.dir };
  writeFileSync(join(w.dir, "not-a-cert.pem"), "this is not a certificate\n");
}, 60_000);

afterAll(async () => {
  web?.closeAllConnections();
  await new Promise<void>((r) => (web ? web.close(() => r()) : r()));
  await w?.stop();
});

function bounded(p: Promise<CliRun>): Promise<CliRun> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the CLI did not finish within ${HANG_MS} ms (a hang)`)), HANG_MS);
  });
  return Promise.race([p, hang]).finally(() => clearTimeout(timer));
}

async function runCase(c: BadInputCase): Promise<CliRun> {
  const options = { inputs: c.inputs?.(w, places), env: c.env?.(w, places), configText: c.configText };
  const args = c.args ?? ["setup", "--yes", "--non-interactive", "--no-verify"];
  // A case that names its own --config gets no generated one.
  const configArgs = args.includes("--config") ? [] : w.configArgs(options);
  if (!c.built) return w.run(args, { ...options, noConfig: args.includes("--config") });
  const r = await runBuiltCli([...args, ...configArgs], { cwd: w.dir, env: cleanEnv(w.runEnv(options)) });
  return { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const checkCase = async (_name: string, c: BadInputCase) => {
  if (c.built) requireBuiltCli();
  const undo = c.arrange?.(w);
  const before = w.snapshot();
  let r: CliRun;
  try {
    r = await bounded(runCase(c));
  } finally {
    undo?.();
  }
  const said = `exit ${r.code}\n${r.stderr}`;
  expect(r.code, said).toBe(c.code);
  expect(r.stderr, said).toMatch(c.names);
  expect(r.stderr, said).toMatch(c.fix);
  expect(r.stderr, "no stack trace").not.toMatch(STACK);
  expect(r.stderr).not.toMatch(/\b(TypeError|ReferenceError|UNEXPECTED)\b/);
  expect(w.snapshot(), "nothing changed in Kibana or Azure").toBe(before);
};

describe("bad input catalogue", () => {
  it("has at least 40 cases, each named once", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases.filter((c) => !c.bug).map((c) => [c.name, c] as const))("%s", checkCase, HANG_MS + 5_000);

  // Each of these documents a product bug named in the case's `bug` (see bad-input-cases.ts); they pass once fixed.
  it.fails.each(cases.filter((c) => c.bug).map((c) => [c.name, c] as const))(
    "%s (known bug)",
    checkCase,
    HANG_MS + 5_000,
  );
});

describe("a resource group in another region than the workspace", () => {
  it("is not an error: the Logic Apps go to the group's region and the data collection rule to the workspace's", async () => {
    const other = await startSafetyWorld();
    try {
      const r = await other.run(["setup", "--yes", "--non-interactive", "--no-verify"], {
        inputs: { "azure.resourceGroup": RG_EAST, "azure.location": null },
      });
      expect(r.code, r.stderr).toBe(0);
      const [dcr] = other.azure.state.list("Microsoft.Insights/dataCollectionRules");
      expect(dcr?.location).toBe(LOCATION);
      const workflows = other.azure.state.list("Microsoft.Logic/workflows");
      expect(workflows.map((x) => x.location)).toEqual(["eastus", "eastus", "eastus"]);
    } finally {
      await other.stop();
    }
  }, 60_000);
});

/**
 * Callback URLs sit, signature included, in our connectors' config, readable by anyone with "Actions and
 * Connectors: Read". Preflight and plan say so; `setup --rotate-keys` regenerates the Logic Apps' access keys (the
 * old signatures stop working at the trigger) and rewrites the connectors with the new URLs; teardown rotates
 * them before it deletes anything.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postCallback } from "./callback.js";
import { PREFIX } from "../safety/helpers/converged.js";
import { type SafetyWorld, startSafetyWorld } from "../safety/helpers/safety-world.js";

const SETUP = ["setup", "--yes", "--non-interactive", "--no-verify"];
let w: SafetyWorld;

const connectorUrl = () =>
  String(w.elastic.state.connectors().find((c) => c.id === `${PREFIX}-alert-webhook`)?.config.url ?? "");
const caseConnectorUrl = () =>
  String(w.elastic.state.connectors().find((c) => c.id === `${PREFIX}-cases-webhook`)?.config.createIncidentUrl ?? "");
const sigOf = (url: string) => new URL(url).searchParams.get("sig");

const post = (url: string) => postCallback(w.azure.caCert, url);

beforeAll(async () => {
  w = await startSafetyWorld();
}, 60_000);

afterAll(async () => {
  await w?.stop();
});

describe("callback URL signatures: said plainly, rotated on demand and at teardown", () => {
  let before: string;

  it("setup says who can read the callback URLs", async () => {
    const r = await w.run(SETUP);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Actions and Connectors: Read/);
    expect(r.stderr).toMatch(/--rotate-keys/);
    before = connectorUrl();
    expect(sigOf(before)).toBeTruthy();
    const plan = await w.run(["plan", "--non-interactive"]);
    expect(plan.stderr, "plan says it too").toMatch(/Actions and Connectors: Read/);
  }, 180_000);

  it("plan --rotate-keys shows the keys and both connectors as updates, changing nothing", async () => {
    const r = await w.run(["plan", "--non-interactive", "--rotate-keys"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`access key\\s+${PREFIX}-alert-ingest.*~ update`));
    expect(r.stdout).toMatch(new RegExp(`${PREFIX}-alert-webhook.*~ update.*--rotate-keys`));
    expect(r.stdout).toMatch(new RegExp(`${PREFIX}-cases-webhook.*~ update.*--rotate-keys`));
    expect(connectorUrl()).toBe(before);
  }, 120_000);

  it("setup --rotate-keys: the old signature is refused at the trigger, the connectors carry working new ones", async () => {
    const caseBefore = caseConnectorUrl();
    expect(await post(before), "the current URL works").toBeLessThan(300);
    const r = await w.run([...SETUP, "--rotate-keys"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr, "no signature is printed").not.toContain(sigOf(before)!);
    const after = connectorUrl();
    expect(sigOf(after)).toBeTruthy();
    expect(sigOf(after)).not.toBe(sigOf(before));
    expect(sigOf(caseConnectorUrl())).not.toBe(sigOf(caseBefore));
    expect(await post(before), "the old signature no longer works").toBe(401);
    expect(await post(after), "the new one does").toBeLessThan(300);
    const plan = await w.run(["plan", "--non-interactive", "--detailed-exitcode"]);
    expect(plan.code, plan.stdout).toBe(0);
  }, 240_000);

  it("teardown regenerates the keys before deleting anything", async () => {
    const r = await w.run(["teardown", "--dry-run", "--non-interactive"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`access key\\s+${PREFIX}-alert-ingest.*~ update.*regenerated first`));
    const last = connectorUrl();
    const t = await w.run(["teardown", "--yes", "--non-interactive"]);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stderr).toMatch(/Regenerated the access key of/);
    expect(await post(last)).not.toBe(202);
  }, 240_000);
});

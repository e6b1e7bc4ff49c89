/**
 * The alert connector's OAuth2 client credentials (alerts.webhookAuth, issue #18), run as a user would run the CLI:
 * auto falls back to SAS with a warning when the sign-in may not register applications (explicit oauth2 is exit 4);
 * a SAS instance is upgraded in place (planned as updates), after which the old signature is dead at the trigger;
 * --rotate-keys and a secret near its expiry rotate the client secret (new one in, old one out), and verify warns
 * about the near expiry (upkeep, not drift) and fails an expired secret; switched to sas, the app registration is
 * deleted once the connector holds the callback URL; teardown deletes
 * the app registration; a look-alike app without our marker is a conflict; oauth2 on Kibana 9.1 is exit 5.
 */
import axios from "axios";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postCallback } from "./callback.js";
import { PREFIX } from "../safety/helpers/converged.js";
import { type SafetyWorld, startSafetyWorld } from "../safety/helpers/safety-world.js";

const SETUP = ["setup", "--yes", "--non-interactive", "--no-verify"];
const APP = `${PREFIX}-kibana-alert-connector`;
let w: SafetyWorld;

/** Graph and the login endpoint of the sandbox: without them auto cannot ask whether apps may be registered. */
const withGraph = (extra: Record<string, unknown> = {}) => ({
  inputs: {
    "azure.endpoints.graph": w.azure.endpoints.graph,
    "azure.endpoints.login": w.azure.endpoints.login,
    ...extra,
  },
});
const connector = () => w.elastic.state.connectors().find((c) => c.id === `${PREFIX}-alert-webhook`)!;
const ourApp = () => [...w.azure.state.applications.apps.values()].find((a) => a.displayName === APP);

const post = (url: string) => postCallback(w.azure.caCert, url);

/** The alert connector's `_execute`, as verify's fast alert path sends it. */
async function execute(): Promise<{ status: string; service_message?: string }> {
  const res = await axios.post(
    `${w.elastic.kibanaUrl}/api/actions/connector/${PREFIX}-alert-webhook/_execute`,
    { params: { body: JSON.stringify({ source: "sentinel-elastic", kind: "summary", rule: {}, alerts: [] }) } },
    { headers: { Authorization: `ApiKey ${w.elastic.apiKey}`, "kbn-xsrf": "t" }, validateStatus: () => true },
  );
  return res.data;
}

beforeAll(async () => {
  w = await startSafetyWorld();
}, 60_000);
afterAll(async () => {
  await w?.stop();
});

describe("the alert connector's OAuth2 client credentials", () => {
  let sasUrl = "";

  it("auto without the directory permission falls back to SAS, says why and who can read the URL", async () => {
    w.azure.state.applications.allowedToCreateApps = false;
    const r = await w.run(SETUP, withGraph());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/SAS\), not OAuth2: this Azure sign-in may not register applications/);
    expect(r.stderr).toMatch(/Actions and Connectors: Read/);
    sasUrl = String(connector().config.url);
    expect(new URL(sasUrl).searchParams.get("sig")).toBeTruthy();
    expect(ourApp()).toBeUndefined();
  }, 180_000);

  it("explicit oauth2 without the directory permission is exit 4 with what to do", async () => {
    const r = await w.run(["plan", "--non-interactive"], withGraph({ "alerts.webhookAuth": "oauth2" }));
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("GRAPH_APP_REGISTRATION_DENIED");
    expect(r.stderr).toMatch(/Application Developer|sas/);
    w.azure.state.applications.allowedToCreateApps = true;
  }, 120_000);

  it("a SAS instance is planned as updates, then upgraded: no sig in Kibana, the old one dead, alerts still pass", async () => {
    const plan = await w.run(["plan", "--non-interactive"], withGraph());
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(new RegExp(`${APP}.*\\+ create`));
    expect(plan.stdout).toMatch(new RegExp(`${PREFIX}-alert-webhook.*~ update`));
    expect(plan.stdout).toMatch(new RegExp(`${PREFIX}-alert-ingest.*~ update.*OAuth2`));
    const r = await w.run(SETUP, withGraph());
    expect(r.code, r.stderr).toBe(0);
    const c = connector();
    expect(c.config).toMatchObject({
      authType: "webhook-oauth2-client-credentials",
      clientId: ourApp()!.appId,
      scope: `api://${ourApp()!.appId}/.default`,
      accessTokenUrl: `${w.azure.endpoints.login}/${w.azure.tenantId}/oauth2/v2.0/token`,
    });
    expect(String(c.config.url)).not.toMatch(/[?&](sig|sp|sv)=/);
    expect(typeof c.secrets.clientSecret).toBe("string");
    // The secret is never printed.
    expect(`${r.stdout}${r.stderr}`).not.toContain(String(c.secrets.clientSecret));
    expect(await post(sasUrl), "the signature Kibana used to hold").toBe(401);
    expect(await execute()).toMatchObject({ status: "ok" });
    const again = await w.run(["plan", "--non-interactive", "--detailed-exitcode"], withGraph());
    expect(again.code, again.stdout).toBe(0);
  }, 240_000);

  it("--rotate-keys rotates the client secret: the connector gets the new one, the old one is removed", async () => {
    const before = ourApp()!.passwordCredentials.map((p) => p.keyId);
    const r = await w.run([...SETUP, "--rotate-keys"], withGraph());
    expect(r.code, r.stderr).toBe(0);
    const after = ourApp()!.passwordCredentials.map((p) => p.keyId);
    expect(after).toHaveLength(1);
    expect(before).not.toContain(after[0]);
    expect(await execute()).toMatchObject({ status: "ok" });
  }, 240_000);

  it("verify warns about a secret that expires within 30 days, and fails on one that has expired", async () => {
    const cred = ourApp()!.passwordCredentials[0]!;
    const end = cred.endDateTime;
    const row = (out: string) => out.split("\n").find((l) => l.includes(`App registration ${APP}`)) ?? "";
    try {
      cred.endDateTime = new Date(w.azure.clock.now() + 10 * 24 * 3600_000).toISOString();
      const soon = await w.run(["verify", "--non-interactive"], withGraph());
      expect(row(soon.stdout), soon.stdout).toMatch(/WARN/);
      expect(row(soon.stdout)).toMatch(/within 30 days/);
      // Upkeep that setup does on its own schedule, not drift: no FAIL row for the app or the connector.
      expect(soon.stdout).not.toMatch(/drift/);
      expect(soon.code, soon.stdout).toBe(0);

      cred.endDateTime = new Date(w.azure.clock.now() - 24 * 3600_000).toISOString();
      const gone = await w.run(["verify", "--non-interactive"], withGraph());
      expect(row(gone.stdout), gone.stdout).toMatch(/FAIL/);
      expect(row(gone.stdout)).toMatch(/no valid client secret/);
      expect(gone.code).not.toBe(0);
    } finally {
      cred.endDateTime = end;
    }
  }, 240_000);

  it("a secret that expires within 30 days is rotated by plan/setup", async () => {
    const cred = ourApp()!.passwordCredentials[0]!;
    cred.endDateTime = new Date(w.azure.clock.now() + 10 * 24 * 3600_000).toISOString();
    const plan = await w.run(["plan", "--non-interactive"], withGraph());
    expect(plan.stdout).toMatch(new RegExp(`${APP}.*~ update.*within 30 days`));
    const r = await w.run(SETUP, withGraph());
    expect(r.code, r.stderr).toBe(0);
    const now = ourApp()!.passwordCredentials;
    expect(now).toHaveLength(1);
    expect(now[0]!.keyId).not.toBe(cred.keyId);
    expect(Date.parse(now[0]!.endDateTime) - w.azure.clock.now()).toBeGreaterThan(150 * 24 * 3600_000);
    expect(await execute()).toMatchObject({ status: "ok" });
  }, 240_000);

  it("switched to sas: the connector gets the callback URL, then our app registration is deleted; and back", async () => {
    const sas = withGraph({ "alerts.webhookAuth": "sas" });
    const plan = await w.run(["plan", "--non-interactive"], sas);
    expect(plan.stdout).toMatch(new RegExp(`${APP}.*delete.*no longer signs in with it`));
    const r = await w.run(SETUP, sas);
    expect(r.code, r.stderr).toBe(0);
    expect(String(connector().config.url)).toMatch(/[?&]sig=/);
    expect(connector().config.authType).not.toBe("webhook-oauth2-client-credentials");
    expect(ourApp()).toBeUndefined();
    expect(await execute()).toMatchObject({ status: "ok" });
    const again = await w.run(["plan", "--non-interactive", "--detailed-exitcode"], sas);
    expect(again.code, again.stdout).toBe(0);

    // Back to auto: a new app registration, the connector signs in with it again.
    const back = await w.run(SETUP, withGraph());
    expect(back.code, back.stderr).toBe(0);
    expect(ourApp()).toBeDefined();
    expect(String(connector().config.url)).not.toMatch(/[?&]sig=/);
    expect(await execute()).toMatchObject({ status: "ok" });
  }, 240_000);

  it("teardown deletes our app registration", async () => {
    const r = await w.run(["teardown", "--yes", "--non-interactive"], withGraph());
    expect(r.code, r.stderr).toBe(0);
    expect(ourApp()).toBeUndefined();
  }, 240_000);

  it("an app registration with our name but not our marker is a conflict (exit 5, --adopt)", async () => {
    w.azure.state.applications.create({ displayName: APP, tags: [] }, w.azure.principalId, w.azure.state.nowIso());
    const r = await w.run(SETUP, withGraph());
    expect(r.code).toBe(5);
    expect(`${r.stdout}${r.stderr}`).toMatch(new RegExp(`${APP}[\\s\\S]*--adopt`));
    expect(ourApp()!.tags).toEqual([]);
  }, 240_000);
});

describe("oauth2 on a Kibana without it", () => {
  let old: SafetyWorld;
  beforeAll(async () => {
    old = await startSafetyWorld({ kibanaVersion: "9.1.0" });
  }, 60_000);
  afterAll(async () => {
    await old?.stop();
  });

  it("is exit 5 saying 9.2 is needed", async () => {
    const r = await old.run(["plan", "--non-interactive"], {
      inputs: { "azure.endpoints.graph": old.azure.endpoints.graph, "alerts.webhookAuth": "oauth2" },
    });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain("KIBANA_OAUTH2_UNSUPPORTED");
    expect(r.stderr).toMatch(/9\.2/);
  }, 120_000);
});

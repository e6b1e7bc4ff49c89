import { afterEach, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${h!.baseUrl}${path}`, {
    method,
    headers: { "content-type": "application/json", "kbn-xsrf": "t" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const celVars = {
  client_id: "11111111-2222-3333-4444-555555555555",
  client_secret: "secret-value-123456",
  tenant_id: "t",
  subscription_id: "s",
  resource_group_name: "rg",
  workspace_name: "ws",
};

function policy(inputs: unknown, extra: Record<string, unknown> = {}) {
  return {
    name: "p1",
    namespace: "default",
    package: { name: "microsoft_sentinel", version: "1.2.0" },
    inputs,
    ...extra,
  };
}

describe("Fleet emulator: setup status", () => {
  it("GET /api/fleet/agents/setup reports readiness and missing requirements", async () => {
    h = await startHarness({ missingRequirements: ["api_keys"] });
    const r = await call("GET", "/api/fleet/agents/setup");
    expect(r.body).toMatchObject({ isReady: false, missing_requirements: ["api_keys"] });
  });
});

describe("Fleet emulator: packages", () => {
  it("GET without a version answers the newest version compatible with the Kibana version", async () => {
    h = await startHarness({ kibanaVersion: "8.15.0" });
    const r = await call("GET", "/api/fleet/epm/packages/microsoft_sentinel");
    expect(r.body.item.version).toBe("0.4.0");
    expect(r.body.item.conditions.kibana.version).toBe("^8.13.0 || ^9.0.0");
    expect(r.body.item.status).toBe("not_installed");
  });

  it("GET without a version answers 404 when no version is compatible", async () => {
    h = await startHarness({ kibanaVersion: "8.6.0" });
    const r = await call("GET", "/api/fleet/epm/packages/microsoft_sentinel");
    expect(r.status).toBe(404);
    expect(r.body.message).toBe("[microsoft_sentinel] package not found in registry");
  });

  it("installing an incompatible version is refused unless ignore_constraints", async () => {
    h = await startHarness({ kibanaVersion: "8.15.0" });
    const refused = await call("POST", "/api/fleet/epm/packages/microsoft_sentinel/1.2.0", { force: false });
    expect(refused.status).toBe(400);
    expect(h.fleet.state.installed.size).toBe(0);
    const forced = await call("POST", "/api/fleet/epm/packages/microsoft_sentinel/1.2.0", { ignore_constraints: true });
    expect(forced.status).toBe(200);
    expect(h.fleet.state.installed.get("microsoft_sentinel")?.version).toBe("1.2.0");
  });

  it("GET of an installed package reports installationInfo", async () => {
    h = await startHarness();
    await call("POST", "/api/fleet/epm/packages/microsoft_sentinel/1.1.1", {});
    const r = await call("GET", "/api/fleet/epm/packages/microsoft_sentinel");
    expect(r.body.item.installationInfo.version).toBe("1.1.1");
    expect(r.body.item.latestVersion).toBe("1.2.0");
  });
});

describe("Fleet emulator: package policies in the simplified format", () => {
  it("an unknown var is a 400 `Variable <ctx>:<var> not found`", async () => {
    h = await startHarness();
    const r = await call(
      "POST",
      "/api/fleet/package_policies",
      policy({ "microsoft_sentinel-cel": { vars: { ...celVars, workspace: "x" } } }),
    );
    expect(r.status).toBe(400);
    expect(r.body.message).toBe("Variable microsoft_sentinel-cel:workspace not found");
  });

  it("an unknown stream var names the input and stream", async () => {
    h = await startHarness();
    const r = await call(
      "POST",
      "/api/fleet/package_policies",
      policy({
        "microsoft_sentinel-cel": {
          vars: celVars,
          streams: { "microsoft_sentinel.incident": { vars: { polling: "5m" } } },
        },
      }),
    );
    expect(r.body.message).toBe("Variable microsoft_sentinel-cel microsoft_sentinel.incident:polling not found");
  });

  it("an unknown input is a 400 `Input not found: <id>`", async () => {
    h = await startHarness();
    const r = await call(
      "POST",
      "/api/fleet/package_policies",
      policy({ "microsoft_sentinel-httpjson": { enabled: true } }),
    );
    expect(r.status).toBe(400);
    expect(r.body.message).toBe("Input not found: microsoft_sentinel-httpjson");
  });

  it("an unknown stream is a 400 `Stream not found <input>: <stream>`", async () => {
    h = await startHarness();
    const r = await call(
      "POST",
      "/api/fleet/package_policies",
      policy({ "microsoft_sentinel-cel": { vars: celVars, streams: { "microsoft_sentinel.log": {} } } }),
    );
    expect(r.body.message).toBe("Stream not found microsoft_sentinel-cel: microsoft_sentinel.log");
  });

  it("streams not named keep the package default (disabled)", async () => {
    h = await startHarness();
    const r = await call(
      "POST",
      "/api/fleet/package_policies?format=simplified",
      policy({
        "microsoft_sentinel-cel": { vars: celVars, streams: { "microsoft_sentinel.incident": { enabled: true } } },
      }),
    );
    expect(r.status).toBe(200);
    const streams = r.body.item.inputs["microsoft_sentinel-cel"].streams;
    expect(streams["microsoft_sentinel.incident"].enabled).toBe(true);
    expect(streams["microsoft_sentinel.alert"].enabled).toBe(false);
  });

  it("a required var missing on an enabled stream is a 400", async () => {
    h = await startHarness();
    const { workspace_name: _, ...partial } = celVars;
    const r = await call(
      "POST",
      "/api/fleet/package_policies",
      policy({ "microsoft_sentinel-cel": { vars: partial, streams: { "microsoft_sentinel.incident": {} } } }),
    );
    expect(r.status).toBe(400);
    expect(r.body.message).toContain("inputs.microsoft_sentinel-cel.vars.workspace_name");
  });

  it("secret vars are stored as secret references and their values never returned", async () => {
    h = await startHarness();
    const created = await call(
      "POST",
      "/api/fleet/package_policies?format=simplified",
      policy({ "microsoft_sentinel-cel": { vars: celVars, streams: { "microsoft_sentinel.incident": {} } } }),
    );
    const vars = created.body.item.inputs["microsoft_sentinel-cel"].vars;
    expect(vars.client_secret).toEqual({ isSecretRef: true, id: expect.any(String) });
    expect(vars.client_id.isSecretRef).toBe(true);
    expect(vars.tenant_id).toBe("t");
    expect(created.body.item.secret_references).toHaveLength(2);
    for (const path of [
      "/api/fleet/package_policies",
      `/api/fleet/package_policies/${created.body.item.id}`,
      "/api/fleet/package_policies?format=simplified",
    ]) {
      expect(JSON.stringify((await call("GET", path)).body)).not.toContain("secret-value-123456");
    }
  });

  it("an update that sends the secret reference back keeps the stored secret", async () => {
    h = await startHarness();
    const created = await call(
      "POST",
      "/api/fleet/package_policies?format=simplified",
      policy({ "microsoft_sentinel-cel": { vars: celVars, streams: { "microsoft_sentinel.incident": {} } } }),
    );
    const ref = created.body.item.inputs["microsoft_sentinel-cel"].vars.client_secret;
    const updated = await call(
      "PUT",
      `/api/fleet/package_policies/${created.body.item.id}?format=simplified`,
      policy({
        "microsoft_sentinel-cel": {
          vars: { ...celVars, client_secret: ref },
          streams: { "microsoft_sentinel.incident": {} },
        },
      }),
    );
    expect(updated.status).toBe(200);
    expect(updated.body.item.inputs["microsoft_sentinel-cel"].vars.client_secret.id).toBe(ref.id);
    expect(h.fleet.state.secrets.get(ref.id)).toBe("secret-value-123456");
  });

  it("a second policy with the same name is a 409", async () => {
    h = await startHarness();
    const body = policy({
      "microsoft_sentinel-cel": { vars: celVars, streams: { "microsoft_sentinel.incident": {} } },
    });
    await call("POST", "/api/fleet/package_policies", body);
    const r = await call("POST", "/api/fleet/package_policies", body);
    expect(r.status).toBe(409);
  });

  it("a policy on an agent policy that does not exist is a 404", async () => {
    h = await startHarness();
    const r = await call(
      "POST",
      "/api/fleet/package_policies",
      policy({ "microsoft_sentinel-cel": { vars: celVars } }, { policy_ids: ["missing"] }),
    );
    expect(r.status).toBe(404);
  });

  it("routes answer under a space prefix too", async () => {
    h = await startHarness();
    const r = await call("GET", "/s/soc/api/fleet/agents/setup");
    expect(r.status).toBe(200);
  });
});

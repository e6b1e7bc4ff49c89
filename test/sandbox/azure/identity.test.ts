import { execFileSync } from "node:child_process";
import { ResourceManagementClient } from "@azure/arm-resources";
import { AzureCliCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClock } from "../../../src/sandbox/common/clock.js";
import { type AzureSandbox, startAzureSandbox } from "../../../src/sandbox/azure/index.js";
import { armToken, call, RG, sandboxOptions } from "./helpers.js";

let sb: AzureSandbox;
const saved = { PATH: process.env.PATH, AZURE_SANDBOX_AZ_STATE: process.env.AZURE_SANDBOX_AZ_STATE };

beforeAll(async () => {
  sb = await startAzureSandbox({ ...sandboxOptions, clock: createClock({ start: Date.now() }) });
  Object.assign(process.env, sb.azCliEnv());
});
afterAll(async () => {
  process.env.PATH = saved.PATH;
  if (saved.AZURE_SANDBOX_AZ_STATE === undefined) delete process.env.AZURE_SANDBOX_AZ_STATE;
  await sb?.stop();
});

const subUrl = () => `${sb.endpoints.resourceManager}/subscriptions/${sb.subscriptionId}?api-version=2022-09-01`;

describe("tokens and the fake az", () => {
  it("AzureCliCredential from @azure/identity 4.13.1 gets a token the sandbox accepts, via the fake az", async () => {
    const cred = new AzureCliCredential();
    const token = await cred.getToken("https://management.azure.com/.default");
    expect(token.token.split(".")).toHaveLength(3);
    const res = await call(sb, "GET", subUrl(), { token: token.token });
    expect(res.status).toBe(200);
    expect(res.body.tenantId).toBe(sb.tenantId);
  });

  it("AzureCliCredential drives @azure/arm-resources unchanged", async () => {
    const client = new ResourceManagementClient(new AzureCliCredential(), sb.subscriptionId, {
      endpoint: sb.endpoints.resourceManager,
      credentialScopes: ["https://management.azure.com/.default"],
      tlsOptions: { ca: sb.caCert },
    });
    const rg = await client.resourceGroups.get(RG);
    expect(rg.location).toBe("westeurope");
  });

  it("the fake az refuses another tenant the way az does, so AzureCliCredential fails", async () => {
    const cred = new AzureCliCredential({ tenantId: "00000000-0000-0000-0000-000000000001" });
    await expect(cred.getToken("https://management.azure.com/.default")).rejects.toThrow(/AADSTS90002|Tenant/);
  });

  it("az account show prints the sandbox subscription and tenant", () => {
    const text = execFileSync("az", ["account", "show", "--output", "json"], { env: process.env }).toString();
    const account = JSON.parse(text);
    expect(account).toMatchObject({ id: sb.subscriptionId, tenantId: sb.tenantId, isDefault: true });
  });

  it("a Resource Manager call without a token gets 401 with WWW-Authenticate Bearer error=invalid_token", async () => {
    const res = await call(sb, "GET", subUrl());
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toMatch(/^Bearer authorization_uri="[^"]+", error="invalid_token"/);
    expect(res.body.error.code).toBe("AuthenticationFailed");
  });

  it("a token for https://monitor.azure.com is refused by Resource Manager (InvalidAuthenticationTokenAudience)", async () => {
    const token = await armToken(sb, "https://monitor.azure.com/.default");
    const res = await call(sb, "GET", subUrl(), { token });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("InvalidAuthenticationTokenAudience");
  });

  it("a management token is refused by the Log Analytics query API", async () => {
    const token = await armToken(sb);
    const res = await call(
      sb,
      "POST",
      `${sb.endpoints.logAnalytics}/v1/workspaces/00000000-0000-0000-0000-000000000000/query`,
      {
        token,
        body: { query: "T | take 1" },
      },
    );
    expect(res.status).toBe(401);
  });

  it("both management audiences are accepted (management.azure.com and management.core.windows.net/)", async () => {
    for (const scope of ["https://management.azure.com/.default", "https://management.core.windows.net//.default"]) {
      const res = await call(sb, "GET", subUrl(), { token: await armToken(sb, scope) });
      expect(res.status).toBe(200);
    }
  });

  it("a token past its expiry on the sandbox clock gets 401 ExpiredAuthenticationToken", async () => {
    const token = await armToken(sb);
    await sb.clock.advance(76 * 60_000);
    const res = await call(sb, "GET", subUrl(), { token });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("ExpiredAuthenticationToken");
    expect(res.headers["www-authenticate"]).toContain('error="invalid_token"');
  });
});

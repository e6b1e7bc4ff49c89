import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AzureSandbox, startAzureSandbox } from "../../../src/sandbox/azure/index.js";
import { arm, armClient, RG, sandboxOptions, wsId } from "./helpers.js";

let sb: AzureSandbox;
beforeAll(async () => {
  sb = await startAzureSandbox(sandboxOptions);
});
afterAll(async () => {
  await sb?.stop();
});

describe("fault injection on the Azure endpoints", () => {
  it("a per-route 429 carries Retry-After and fails only the next matching request", async () => {
    sb.faults.set({
      routes: [
        { match: "/providers/Microsoft.SecurityInsights/incidents/", times: 1, kinds: [429], retryAfterSeconds: 7 },
      ],
    });
    const url = `${wsId(sb)}/providers/Microsoft.SecurityInsights/incidents/f1?api-version=2025-09-01`;
    const body = { properties: { title: "t", severity: "Low", status: "New" } };
    const first = await arm(sb, "PUT", url, body);
    expect(first.status).toBe(429);
    expect(first.headers["retry-after"]).toBe("7");
    expect((await arm(sb, "PUT", url, body)).status).toBe(201);
    expect(sb.faults.injected).toBe(1);
    sb.faults.set(undefined);
  });

  it("@azure/arm-resources retries a 503 with Retry-After and still deploys", async () => {
    sb.faults.set({ routes: [{ match: "PUT /subscriptions", times: 1, kinds: [503], retryAfterSeconds: 0 }] });
    const client = await armClient(sb);
    const res = await client.deployments.beginCreateOrUpdateAndWait(RG, "retried", {
      properties: { mode: "Incremental", template: { $schema: "x", contentVersion: "1.0.0.0", resources: [] } },
    });
    expect(res.properties?.provisioningState).toBe("Succeeded");
    expect(sb.faults.injected).toBe(2);
    sb.faults.set(undefined);
  });
});

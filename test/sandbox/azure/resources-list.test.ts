/**
 * GET /subscriptions/{sub}/resources (Resources - List): the subscription's top-level resources, filtered by
 * tag name and value (tags then left out of the result, as Azure does), by tag name or by resource type; only
 * what the caller may read; an unknown $filter is 400 InvalidFilterInQueryString.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AzureSandbox, startAzureSandbox } from "../../../src/sandbox/azure/index.js";
import { arm, call, echoDefinition, rgPath, sandboxOptions } from "./helpers.js";

let sb: AzureSandbox;
const list = (filter?: string, v = "2021-04-01") =>
  arm(
    sb,
    "GET",
    `/subscriptions/${sb.subscriptionId}/resources?api-version=${v}${filter ? `&$filter=${encodeURIComponent(filter)}` : ""}`,
  );
const ids = (r: { body: { value: { id: string }[] } }) =>
  r.body.value.map((x) => x.id.split("/").slice(4).join("/")).sort();

beforeAll(async () => {
  sb = await startAzureSandbox(sandboxOptions);
  for (const [rg, name, tags] of [
    ["rg-test", "a-case-sync", { "managed-by": "sentinel-elastic", "sentinel-elastic-instance": "a" }],
    ["rg-logic", "a-case-get", { "managed-by": "sentinel-elastic", "sentinel-elastic-instance": "a" }],
    ["rg-logic", "b-case-sync", { "managed-by": "sentinel-elastic", "sentinel-elastic-instance": "b" }],
    ["rg-logic", "untagged", {}],
  ] as const) {
    const r = await arm(
      sb,
      "PUT",
      `${rgPath(sb, rg)}/providers/Microsoft.Logic/workflows/${name}?api-version=2019-05-01`,
      {
        location: "westeurope",
        tags,
        identity: { type: "SystemAssigned" },
        properties: { definition: echoDefinition() },
      },
    );
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  }
});
afterAll(async () => {
  await sb?.stop();
});

describe("Resources - List at subscription scope", () => {
  it("tagName and tagValue select across resource groups and leave the tags out", async () => {
    const r = await list("tagName eq 'sentinel-elastic-instance' and tagValue eq 'a'");
    expect(r.status).toBe(200);
    expect(ids(r)).toEqual([
      "rg-logic/providers/Microsoft.Logic/workflows/a-case-get",
      "rg-test/providers/Microsoft.Logic/workflows/a-case-sync",
    ]);
    expect(r.body.value[0]).toMatchObject({ type: "Microsoft.Logic/workflows", location: "westeurope" });
    expect(r.body.value.every((x: Record<string, unknown>) => !("tags" in x))).toBe(true);
  });

  it("tagName alone and resourceType select too, with tags; no filter lists all top-level resources", async () => {
    const byName = await list("tagName eq 'managed-by'");
    expect(ids(byName)).toHaveLength(3);
    expect(byName.body.value[0].tags["managed-by"]).toBe("sentinel-elastic");
    const byType = await list("resourceType eq 'Microsoft.Logic/workflows'");
    expect(ids(byType)).toHaveLength(4);
    const all = await list();
    expect(all.body.value.some((x: { type: string }) => x.type === "Microsoft.OperationalInsights/workspaces")).toBe(
      true,
    );
    expect(all.body.value.some((x: { type: string }) => x.type === "Microsoft.Resources/resourceGroups")).toBe(false);
  });

  it("a caller without read access sees nothing (no 403)", async () => {
    const wf = await arm(
      sb,
      "GET",
      `${rgPath(sb, "rg-logic")}/providers/Microsoft.Logic/workflows/untagged?api-version=2019-05-01`,
    );
    const token = (await sb
      .credentialFor(wf.body.identity.principalId)
      .getToken("https://management.azure.com/.default"))!.token;
    const r = await call(
      sb,
      "GET",
      `${sb.endpoints.resourceManager}/subscriptions/${sb.subscriptionId}/resources?api-version=2021-04-01`,
      { token },
    );
    expect(r.status).toBe(200);
    expect(r.body.value).toEqual([]);
  });

  it("an unknown $filter is 400 InvalidFilterInQueryString; an unknown api-version is 400", async () => {
    const bad = await list("tags/x eq 'y'");
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("InvalidFilterInQueryString");
    expect((await list(undefined, "2099-01-01")).status).toBe(400);
  });
});

/**
 * The product's own ARM templates (templates/azure) deploy against the sandbox, what-if plans no change on a second
 * run, and a second deployment changes nothing. Guards the control plane against the constructs those templates use.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AzureSandbox, startAzureSandbox } from "../../../src/sandbox/azure/index.js";
import { armClient, deploy, RG, WS } from "./helpers.js";

const load = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../templates/azure/${name}`, import.meta.url), "utf8"));
let sb: AzureSandbox;

beforeAll(async () => {
  sb = await startAzureSandbox({
    resourceGroups: [
      { name: RG, location: "westeurope" },
      { name: "rg-logic", location: "westeurope" },
    ],
    workspaces: [{ name: WS, resourceGroup: RG }],
  });
});
afterAll(async () => {
  await sb?.stop();
});

const common = { prefix: { value: "selastic" }, workspaceName: { value: WS }, workspaceResourceGroup: { value: RG } };

describe.each(["case-sync-managed-identity.json", "case-sync-oauth.json", "alert-forwarding.json"])(
  "template %s",
  (file) => {
    it("deploys into a Logic Apps group other than the workspace's, and a second what-if plans no change", async () => {
      const template = load(file);
      const declared = Object.keys(template.parameters ?? {});
      const params = Object.fromEntries(Object.entries(common).filter(([k]) => declared.includes(k)));
      const { state, deployment, operations } = await deploy(
        sb,
        file.replace(".json", ""),
        template,
        params,
        "rg-logic",
      );
      if (state !== "Succeeded")
        console.error(
          JSON.stringify(deployment.properties.error, null, 1),
          operations.map((o: any) => o.properties.statusMessage),
        );
      expect(state).toBe("Succeeded");
      const client = await armClient(sb);
      const w = await client.deployments.beginWhatIfAndWait("rg-logic", "again", {
        properties: { mode: "Incremental", template, parameters: params },
      });
      const changed = (w.changes ?? []).filter((c) => c.changeType !== "NoChange" && c.changeType !== "Ignore");
      if (changed.length)
        console.error(
          JSON.stringify(
            changed.map((c) => [c.resourceId, c.changeType, c.delta]),
            null,
            1,
          ),
        );
      expect(changed).toEqual([]);
    });
  },
);

/**
 * What the deployer must be allowed to do, checked against `Microsoft.Authorization/permissions` (real Azure;
 * the sandbox has no such endpoint, so there ARM validation's 403 is what names the missing action).
 */
import { describe, expect, it } from "vitest";
import { allows, missingActions, neededActions } from "../../../src/steps/azure/permissions.js";

const cfg = (authorization: "managed-identity" | "oauth", alertForwarding = true) =>
  ({ features: { caseSync: true, alertForwarding, sentinelToElastic: false }, sentinel: { authorization } }) as never;

describe("deployer permissions", () => {
  it("wildcards grant and notActions take away, case-insensitively", () => {
    const contributor = [
      { actions: ["*"], notActions: ["Microsoft.Authorization/*/Write", "Microsoft.Authorization/*/Delete"] },
    ];
    expect(allows(contributor, "Microsoft.Logic/workflows/write")).toBe(true);
    expect(allows(contributor, "Microsoft.Authorization/roleAssignments/write")).toBe(false);
    expect(
      allows(
        [{ actions: ["Microsoft.Logic/*"], notActions: [] }],
        "microsoft.logic/workflows/triggers/listCallbackUrl/action",
      ),
    ).toBe(true);
  });

  it("managed identity needs role-assignment write on the workspace; oauth case sync does not", () => {
    const mi = neededActions(cfg("managed-identity", false)).map((n) => `${n.action}@${n.scope}`);
    const oauth = neededActions(cfg("oauth", false)).map((n) => `${n.action}@${n.scope}`);
    expect(mi).toContain("Microsoft.Authorization/roleAssignments/write@workspace");
    expect(oauth).not.toContain("Microsoft.Authorization/roleAssignments/write@workspace");
    expect(oauth).toContain("Microsoft.Web/connections/write@logicApps");
  });

  it("a Contributor misses exactly the role assignments, each named with the role that grants it", () => {
    const contributor = [{ actions: ["*"], notActions: ["Microsoft.Authorization/*/Write"] }];
    const missing = missingActions(
      neededActions(cfg("managed-identity")),
      { logicApps: contributor, workspaceGroup: contributor, workspace: contributor },
      {
        logicApps: "/subscriptions/s/resourceGroups/la",
        workspaceGroup: "/subscriptions/s/resourceGroups/ws",
        workspace: "/subscriptions/s/resourceGroups/ws/providers/Microsoft.OperationalInsights/workspaces/w",
      },
    );
    expect(missing.map((m) => [m.action, m.scope, m.role])).toEqual([
      [
        "Microsoft.Authorization/roleAssignments/write",
        "workspace",
        "Owner, User Access Administrator or Role Based Access Control Administrator",
      ],
      [
        "Microsoft.Authorization/roleAssignments/write",
        "logicApps",
        "Owner, User Access Administrator or Role Based Access Control Administrator",
      ],
    ]);
  });
});

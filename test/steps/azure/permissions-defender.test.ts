/** What the deployer must be allowed to do in Defender mode: the cases table, its DCR and rule, and the role assignments. */
import { describe, expect, it } from "vitest";
import { neededActions } from "../../../src/steps/azure/permissions.js";

const cfg = (authorization: "managed-identity" | "oauth") =>
  ({
    features: { caseSync: true, alertForwarding: false, sentinelToElastic: false },
    sentinel: { authorization },
  }) as never;
const actions = (portal: "defender" | "azure", authorization: "managed-identity" | "oauth") =>
  neededActions(cfg(authorization), portal).map((n) => `${n.action}@${n.scope}`);

describe("deployer permissions in Defender mode", () => {
  it("case sync needs the cases table, DCR, analytics rule and role assignments, whatever sentinel.authorization says", () => {
    for (const auth of ["managed-identity", "oauth"] as const) {
      const a = actions("defender", auth);
      expect(a).toEqual(
        expect.arrayContaining([
          "Microsoft.Insights/dataCollectionRules/write@logicApps",
          "Microsoft.Authorization/roleAssignments/write@logicApps",
          "Microsoft.OperationalInsights/workspaces/tables/write@workspace",
          "Microsoft.SecurityInsights/alertRules/write@workspace",
          "Microsoft.Authorization/roleAssignments/write@workspace",
        ]),
      );
      // No azuresentinel API connection in Defender mode.
      expect(a).not.toContain("Microsoft.Web/connections/write@logicApps");
    }
  });

  it("the Azure portal keeps today's needs", () => {
    expect(actions("azure", "oauth")).toContain("Microsoft.Web/connections/write@logicApps");
    expect(actions("azure", "oauth")).not.toContain("Microsoft.SecurityInsights/alertRules/write@workspace");
  });
});

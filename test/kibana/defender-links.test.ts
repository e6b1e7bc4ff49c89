/** Incident links in Defender mode: the Defender portal of the tenant, and Kibana's view URL built on the external title. */
import { describe, expect, it } from "vitest";
import { buildCaseConnectorBody } from "../../src/kibana/connector-bodies.js";
import { defenderIncidentUrl, defenderViewIncidentUrl } from "../../src/kibana/sentinel-portal.js";
import { renderNoEscape } from "../../src/sandbox/elastic/mustache.js";

const TENANT = "0d846ee9-31f3-4ee2-9443-fb62a2ae47b6";

describe("Defender portal links", () => {
  it("an incident link is /incidents/<id>?tid=<tenant> on the cloud's Defender host", () => {
    expect(defenderIncidentUrl("https://security.microsoft.us/", "42", TENANT)).toBe(
      `https://security.microsoft.us/incidents/42?tid=${TENANT}`,
    );
  });

  it("Kibana's view URL renders the Defender incident id the case-get workflow answers as the external title", () => {
    const body = buildCaseConnectorBody({
      name: "n",
      version: "9.2.0",
      kibanaUrl: "https://kibana.example.com",
      space: "default",
      portal: "https://portal.azure.com",
      workspace: { subscriptionId: "s", resourceGroup: "rg", workspaceName: "ws" },
      caseSyncUrl: "https://example.invalid/sync",
      caseGetUrl: "https://example.invalid/get",
      viewIncidentUrl: defenderViewIncidentUrl("https://security.microsoft.com", TENANT),
    });
    const view = String(body.config.viewIncidentUrl);
    expect(view).not.toContain("portal.azure.com");
    // Kibana renders external.system.title URL-encoded into the view URL.
    const rendered = renderNoEscape(view, { external: { system: { id: "case-id", title: "17" } } });
    expect(rendered).toBe(`https://security.microsoft.com/incidents/17?tid=${TENANT}`);
    expect(() => new URL(view)).not.toThrow();
  });

  it("without a Defender view URL the Azure portal link stays as before", () => {
    const body = buildCaseConnectorBody({
      name: "n",
      version: "9.2.0",
      kibanaUrl: "https://kibana.example.com",
      space: "default",
      portal: "https://portal.azure.com",
      workspace: { subscriptionId: "s", resourceGroup: "rg", workspaceName: "ws" },
      caseSyncUrl: "https://example.invalid/sync",
      caseGetUrl: "https://example.invalid/get",
    });
    expect(String(body.config.viewIncidentUrl)).toMatch(
      /^https:\/\/portal\.azure\.com\/#asset\/Microsoft_Azure_Security_Insights\/Incident\/subscriptions\/s\//,
    );
  });
});

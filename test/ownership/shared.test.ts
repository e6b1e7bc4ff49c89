/**
 * Shared objects are reference-counted, so instances never break each other: the alerts table (deleted by
 * --delete-data only when no other instance's data collection rule sends to it, and never for a prefix that
 * never ran setup), the case settings of the space (handed to an instance still there; the last one puts back
 * what was there before the first), and the way back's Sentinel Reader assignment (kept while another instance
 * is named in it; found by its marker even when the inputs no longer name the app registration).
 */
import axios from "axios";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PREFIX } from "../safety/helpers/converged.js";
import { RG, type SafetyWorld, startSafetyWorld, WS } from "../safety/helpers/safety-world.js";

const OTHER = "other-soc";
const SETUP = ["setup", "--yes", "--non-interactive", "--no-verify"];
const TEARDOWN = ["teardown", "--yes", "--non-interactive", "--delete-data"];
const THEIRS = "team-tickets";
const READER = "8d289c81-5878-46d4-8554-54e1e3d8b5cb";

let w: SafetyWorld;

const table = () =>
  w.azure.state.getTable(
    `/subscriptions/${w.azure.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.OperationalInsights/workspaces/${WS}`,
    "ElasticAlerts_CL",
  );
const defaultConnector = () =>
  (w.elastic.state.caseConfigurations()[0] as { connector?: { id?: string } } | undefined)?.connector?.id;
const readerAssignments = () =>
  w.azure.state.roleAssignments
    .filter((a) => a.roleDefinitionId.toLowerCase().endsWith(READER))
    .map((a) => ({ a, description: String(w.azure.state.getResource(a.id)?.properties?.description ?? "") }))
    .filter(({ description }) => description.includes("managed-by: sentinel-elastic"));

async function kibana(path: string, body: unknown) {
  const r = await axios.post(`${w.elastic.kibanaUrl}${path}`, body, {
    headers: { authorization: `ApiKey ${w.elastic.apiKey}`, "kbn-xsrf": "true" },
    validateStatus: () => true,
  });
  if (r.status >= 300) throw new Error(`POST ${path}: ${r.status} ${JSON.stringify(r.data)}`);
}

beforeAll(async () => {
  w = await startSafetyWorld({ wayBack: { clientSecret: "way-back-secret-value-1" } });
  // The team's own default case connector, there before any instance.
  await kibana(`/api/actions/connector/${THEIRS}`, {
    name: "team tickets",
    connector_type_id: ".cases-webhook",
    config: {
      createIncidentUrl: "http://127.0.0.1:9/x",
      createIncidentJson: '{"t":{{{case.title}}}}',
      createIncidentResponseKey: "id",
      getIncidentUrl: "http://127.0.0.1:9/x/{{{external.system.id}}}",
      getIncidentResponseExternalTitleKey: "t",
      viewIncidentUrl: "http://127.0.0.1:9/x/{{{external.system.id}}}",
      updateIncidentUrl: "http://127.0.0.1:9/x/{{{external.system.id}}}",
      updateIncidentJson: '{"t":{{{case.title}}}}',
      hasAuth: false,
    },
    secrets: {},
  });
  await kibana("/api/cases/configure", {
    owner: "securitySolution",
    closure_type: "close-by-user",
    connector: { id: THEIRS, name: "team tickets", type: ".cases-webhook", fields: null },
  });
}, 60_000);

afterAll(async () => {
  await w?.stop();
});

describe("two instances share the table, the case settings and the way back's role", () => {
  it("both set up side by side", async () => {
    const a = await w.run(SETUP);
    expect(a.code, a.stderr).toBe(0);
    const b = await w.run([...SETUP, "--prefix", OTHER]);
    expect(b.code, b.stderr).toBe(0);
    expect(table()).toBeDefined();
    const [reader, ...more] = readerAssignments();
    expect(more, "one Reader assignment for the one app registration").toEqual([]);
    expect(reader!.description).toContain(`sentinel-elastic-instance: ${PREFIX}`);
    expect(reader!.description).toContain(`sentinel-elastic-instance: ${OTHER}`);
  }, 240_000);

  it("teardown --delete-data for a prefix that never ran setup deletes no table", async () => {
    const r = await w.run([...TEARDOWN, "--prefix", "never-ran"]);
    expect(r.code, r.stderr).toBe(0);
    expect(table(), "the shared table is still there").toBeDefined();
    expect(readerAssignments()).toHaveLength(1);
  }, 120_000);

  it("teardown --delete-data of the first keeps what the second uses, and says which instance uses the table", async () => {
    const r = await w.run(TEARDOWN);
    expect(r.code, r.stderr).toBe(0);
    expect(table(), "the other instance still sends to it").toBeDefined();
    expect(r.stdout).toMatch(new RegExp(`ElasticAlerts_CL.*${OTHER}`));
    expect(defaultConnector(), "the remaining instance's connector is the default").toBe(`${OTHER}-cases-webhook`);
    const [reader, ...more] = readerAssignments();
    expect(more).toEqual([]);
    expect(reader!.description).not.toContain(`sentinel-elastic-instance: ${PREFIX}`);
    expect(reader!.description).toContain(`sentinel-elastic-instance: ${OTHER}`);
  }, 180_000);

  it("teardown of the last (with inputs that no longer name the app registration) removes the table, the role, and puts the team's default back", async () => {
    const r = await w.run([...TEARDOWN, "--prefix", OTHER], {
      inputs: { "sentinelToElastic.clientId": null, "features.sentinelToElastic": false },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(table(), "no instance uses it any more: --delete-data deletes it").toBeUndefined();
    expect(defaultConnector(), "what was there before the first instance").toBe(THEIRS);
    expect(readerAssignments(), "found by its marker, not by the client id").toEqual([]);
  }, 180_000);
});

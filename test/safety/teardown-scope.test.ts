/**
 * teardown removes exactly what setup created for its prefix — nothing else, even in the same resource group and
 * Kibana space: not another instance (another prefix), not the team's own connectors, rules or Logic Apps, not a
 * workflow with our name in another resource group. A second teardown plans nothing.
 */
import axios from "axios";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectExactlyOneOfEach, expectNothingLeft, PREFIX } from "./helpers/converged.js";
import { LOCATION, RG, RG_EAST, ruleIdOf, type SafetyWorld, startSafetyWorld } from "./helpers/safety-world.js";

const OTHER = "other-soc";
const SETUP = ["setup", "--yes", "--non-interactive", "--no-verify"];
const TEARDOWN = ["teardown", "--yes", "--non-interactive"];
const DEAD = "http://127.0.0.1:9";

let w: SafetyWorld;
let foreignBefore: string;

async function kibana(method: "post", path: string, body: unknown) {
  const r = await axios.request({
    method,
    url: `${w.elastic.kibanaUrl}${path}`,
    data: body,
    headers: { authorization: `ApiKey ${w.elastic.apiKey}`, "kbn-xsrf": "true" },
    validateStatus: () => true,
  });
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.data)}`);
  return r.data as Record<string, unknown>;
}

const workflowBody = (tags: Record<string, string> = {}) => ({
  location: LOCATION,
  tags,
  properties: {
    state: "Enabled",
    definition: {
      $schema:
        "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
      contentVersion: "1.0.0.0",
      triggers: { manual: { type: "Request", kind: "Http", inputs: { schema: {} } } },
      actions: {},
    },
  },
});
const workflowPath = (rg: string, name: string) =>
  `/subscriptions/${w.azure.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Logic/workflows/${name}?api-version=2019-05-01`;

/** The team's own objects and a look-alike: what teardown must leave exactly as it was. */
function foreign(): string {
  const s = w.elastic.state;
  const mine = (id: string) => !id.startsWith(`${PREFIX}-`) && !id.startsWith(`${OTHER}-`);
  return JSON.stringify({
    connectors: s.connectors().filter((c) => mine(c.id)),
    rules: s.rules().filter((r) => mine(ruleIdOf(r))),
    workflows: w.azure.state
      .list("Microsoft.Logic/workflows")
      .filter((r) => !r.id.includes(`/resourceGroups/${RG}/`) || mine(r.name))
      .map((r) => [r.id, r.tags, r.properties]),
  });
}

beforeAll(async () => {
  w = await startSafetyWorld();
  await kibana("post", "/api/actions/connector/team-slack", {
    name: "team alerts",
    connector_type_id: ".webhook",
    config: { url: `${DEAD}/hook`, method: "post", hasAuth: false },
    secrets: {},
  });
  await kibana("post", "/api/detection_engine/rules", {
    rule_id: "team-rule",
    name: "team rule",
    description: "the team's own rule",
    type: "query",
    language: "kuery",
    query: "event.action:login",
    index: ["logs-*"],
    risk_score: 21,
    severity: "low",
    interval: "5m",
    from: "now-6m",
    enabled: false,
  });
  for (const [rg, name, tags] of [
    [RG, "team-workflow", {}],
    // Our name and our tags, but in a resource group this configuration does not name.
    [RG_EAST, `${PREFIX}-case-sync`, { "managed-by": "sentinel-elastic", "sentinel-elastic-instance": PREFIX }],
  ] as const) {
    const r = await w.arm("PUT", workflowPath(rg, name), workflowBody(tags));
    if (r.status >= 300) throw new Error(`PUT workflow ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  foreignBefore = foreign();
}, 60_000);

afterAll(async () => {
  await w?.stop();
});

describe("teardown touches only its own prefix", () => {
  it("two instances (two prefixes) are set up side by side in one resource group and space", async () => {
    const a = await w.run(SETUP);
    expect(a.code, a.stderr).toBe(0);
    const b = await w.run([...SETUP, "--prefix", OTHER]);
    expect(b.code, b.stderr).toBe(0);
    expectExactlyOneOfEach(w, "first instance");
    expectExactlyOneOfEach(w, "second instance", OTHER);
  }, 120_000);

  it("teardown of the first removes all of its objects and none of the second's or the team's", async () => {
    const r = await w.run(TEARDOWN);
    expect(r.code, r.stderr).toBe(0);
    expectNothingLeft(w, PREFIX, r.stderr);
    expect(foreign(), "the team's objects and the look-alike are untouched").toBe(foreignBefore);
    const plan = await w.run(["plan", "--detailed-exitcode", "--prefix", OTHER]);
    expect(plan.code, `the other instance still needs nothing:\n${plan.stdout}`).toBe(0);
  }, 120_000);

  it("a second teardown plans nothing", async () => {
    const r = await w.run(["teardown", "--dry-run", "--json"]);
    const doc = JSON.parse(r.stdout) as { plan: { action: string; resource: string; name: string }[] };
    expect(doc.plan.filter((p) => p.action !== "no-op")).toEqual([]);
    expect(r.code).toBe(0);
  }, 60_000);

  it("teardown of the second leaves the team's objects", async () => {
    const r = await w.run([...TEARDOWN, "--prefix", OTHER]);
    expect(r.code, r.stderr).toBe(0);
    expectNothingLeft(w, OTHER, r.stderr);
    expect(foreign()).toBe(foreignBefore);
    expect(
      w.azure.state.getTable(
        `/subscriptions/${w.azure.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.OperationalInsights/workspaces/soc-ws`,
        "ElasticAlerts_CL",
      ),
      "the alerts table stays without --delete-data",
    ).toBeDefined();
  }, 120_000);
});

describe("case settings and a moved resource group", () => {
  let v: SafetyWorld;
  beforeAll(async () => {
    v = await startSafetyWorld();
  }, 60_000);
  afterAll(async () => {
    await v?.stop();
  });

  const caseConfiguration = () =>
    v.elastic.state.caseConfigurations()[0] as { connector?: { id?: string } } | undefined;

  // Case settings go back to what they were when setup found them. Setup records the connector it replaced
  // on our own case connector (a header, connector-bodies.ts); teardown reads it and puts that connector back.
  it("teardown puts back the default case connector that setup found", async () => {
    const auth = { authorization: `ApiKey ${v.elastic.apiKey}`, "kbn-xsrf": "true" };
    const team = await axios.post(
      `${v.elastic.kibanaUrl}/api/actions/connector/team-cases`,
      {
        name: "team ticketing",
        connector_type_id: ".cases-webhook",
        config: {
          createIncidentUrl: `${DEAD}/incident`,
          createIncidentMethod: "post",
          createIncidentJson: '{"title":{{{case.title}}}}',
          createIncidentResponseKey: "id",
          getIncidentUrl: `${DEAD}/incident/{{{external.system.id}}}`,
          getIncidentResponseExternalTitleKey: "title",
          viewIncidentUrl: `${DEAD}/view/{{{external.system.id}}}`,
          updateIncidentUrl: `${DEAD}/incident/{{{external.system.id}}}`,
          updateIncidentMethod: "put",
          updateIncidentJson: '{"title":{{{case.title}}}}',
          hasAuth: false,
        },
        secrets: {},
      },
      { headers: auth },
    );
    expect(team.status).toBe(200);
    await axios.post(
      `${v.elastic.kibanaUrl}/api/cases/configure`,
      {
        owner: "securitySolution",
        closure_type: "close-by-user",
        connector: { id: "team-cases", name: "team ticketing", type: ".cases-webhook", fields: null },
      },
      { headers: auth },
    );
    expect(caseConfiguration()?.connector?.id).toBe("team-cases");
    expect((await v.run(SETUP)).code).toBe(0);
    expect(caseConfiguration()?.connector?.id).toBe(`${PREFIX}-cases-webhook`);
    expect((await v.run(TEARDOWN)).code).toBe(0);
    expect(caseConfiguration()?.connector?.id).toBe("team-cases");
  }, 120_000);

  // Changing azure.resourceGroup between runs would deploy a second set of workflows in the new group and then fail
  // on the workspace role assignments (deterministic names, new principals: RoleAssignmentUpdateNotPermitted),
  // leaving an orphaned case-sync Logic App. The Azure preflight (src/steps/azure/preflight-elsewhere.ts) finds our
  // deployed, tagged objects in the other group and stops before any change (exit 5, naming the old group).
  it("setup with the same prefix in another resource group stops before any change", async () => {
    expect((await v.run(SETUP)).code).toBe(0);
    const before = v.snapshot();
    const r = await v.run(SETUP, { inputs: { "azure.resourceGroup": RG_EAST, "azure.location": null } });
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr).toMatch(new RegExp(RG));
    expect(r.stderr, "names our workflow there and the ways out").toMatch(new RegExp(`${PREFIX}-case-sync`));
    expect(r.stderr).toMatch(new RegExp(`teardown --resource-group ${RG}`));
    expect(r.stderr).toMatch(/--prefix/);
    expect(v.snapshot()).toBe(before);
  }, 120_000);
});

/**
 * Objects with our names that someone else made (no marker of ours) are never updated, adopted or deleted:
 * `plan` shows them as conflicts, `setup` stops (exit 5) naming them and offering --adopt, teardown leaves them
 * alone and says so; `--adopt NAME` (with --yes) takes one over and marks it ours.
 */
import axios from "axios";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PREFIX } from "../safety/helpers/converged.js";
import { LOCATION, RG, ruleIdOf, type SafetyWorld, startSafetyWorld } from "../safety/helpers/safety-world.js";

const ALERT_CONNECTOR = `${PREFIX}-alert-webhook`;
const RULE = `${PREFIX}-forward-rule`;
const CASE_GET = `${PREFIX}-case-get`;
const SETUP = ["setup", "--yes", "--non-interactive", "--no-verify"];

let w: SafetyWorld;

async function kibana(path: string, body: unknown) {
  const r = await axios.post(`${w.elastic.kibanaUrl}${path}`, body, {
    headers: { authorization: `ApiKey ${w.elastic.apiKey}`, "kbn-xsrf": "true" },
    validateStatus: () => true,
  });
  if (r.status >= 300) throw new Error(`POST ${path}: ${r.status} ${JSON.stringify(r.data)}`);
}

const theirRule = () => w.elastic.state.rules().find((r) => ruleIdOf(r) === RULE) as Record<string, any> | undefined;
const theirConnector = () => w.elastic.state.connectors().find((c) => c.id === ALERT_CONNECTOR);
const theirWorkflow = () =>
  w.azure.state
    .list("Microsoft.Logic/workflows")
    .find((r) => r.name === CASE_GET && r.id.includes(`/resourceGroups/${RG}/`));
const ruleQuery = (r: Record<string, any> | undefined) => String(r?.query ?? r?.params?.query);
const ruleTags = (r: Record<string, any> | undefined) => (r?.tags ?? []) as string[];

beforeAll(async () => {
  w = await startSafetyWorld();
  await kibana(`/api/actions/connector/${ALERT_CONNECTOR}`, {
    name: "the team's pager",
    connector_type_id: ".webhook",
    config: { url: "http://127.0.0.1:9/pager", method: "post", hasAuth: false },
    secrets: {},
  });
  await kibana("/api/detection_engine/rules", {
    rule_id: RULE,
    name: "the team's mimikatz rule",
    description: "not made by sentinel-elastic",
    type: "query",
    language: "kuery",
    query: "process.name:mimikatz",
    index: ["logs-*"],
    risk_score: 73,
    severity: "high",
    interval: "5m",
    from: "now-6m",
    enabled: false,
  });
  const wf = await w.arm(
    "PUT",
    `/subscriptions/${w.azure.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Logic/workflows/${CASE_GET}?api-version=2019-05-01`,
    {
      location: LOCATION,
      identity: { type: "SystemAssigned" },
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
    },
  );
  if (wf.status >= 300) throw new Error(`PUT workflow: ${wf.status} ${JSON.stringify(wf.body)}`);
}, 60_000);

afterAll(async () => {
  await w?.stop();
});

describe("look-alikes (our names, not our marker)", () => {
  it("plan shows each as a conflict and exits 5 naming --adopt", async () => {
    const r = await w.run(["plan", "--non-interactive"]);
    expect(r.code, r.stderr).toBe(5);
    for (const name of [ALERT_CONNECTOR, RULE, CASE_GET]) {
      const row = r.stdout.split("\n").find((l) => l.includes(name) && l.includes("! conflict"));
      expect(row, `${name} is a conflict row in:\n${r.stdout}`).toBeDefined();
      expect(r.stderr).toContain(`--adopt ${name}`);
    }
    expect(r.stdout).not.toMatch(new RegExp(`${RULE}.*~ update`));
  }, 120_000);

  it("setup --yes stops with exit 5 before any change: the rule keeps its query, nothing gets our marker", async () => {
    const before = w.snapshot();
    const r = await w.run(SETUP);
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr).toMatch(/not ours/);
    expect(r.stderr).toMatch(/naming\.prefix|--prefix/);
    expect(ruleQuery(theirRule())).toBe("process.name:mimikatz");
    expect(ruleTags(theirRule())).not.toContain(`sentinel-elastic-instance:${PREFIX}`);
    expect(theirConnector()!.config.headers ?? {}).not.toHaveProperty("X-Sentinel-Elastic-Instance");
    expect(theirWorkflow()!.tags ?? {}).not.toHaveProperty("managed-by");
    expect(w.snapshot(), "nothing changed anywhere").toBe(before);
  }, 120_000);

  it("teardown, with setup never run, deletes none of them and says they are someone else's", async () => {
    const r = await w.run(["teardown", "--yes", "--non-interactive"]);
    expect(r.code, r.stderr).toBe(0);
    expect(theirRule(), "the team's rule is still there").toBeDefined();
    expect(theirConnector(), "the team's connector is still there").toBeDefined();
    expect(theirWorkflow(), "the team's Logic App is still there").toBeDefined();
    expect(r.stdout).toMatch(new RegExp(`${RULE}.*someone else's`));
    expect(r.stdout).toMatch(new RegExp(`${ALERT_CONNECTOR}.*someone else's`));
  }, 120_000);

  it("--adopt NAME for each takes them over (confirmed with --yes) and marks them ours; a re-run plans no conflict", async () => {
    const r = await w.run([...SETUP, "--adopt", ALERT_CONNECTOR, "--adopt", RULE, "--adopt", CASE_GET]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`${RULE}.*--adopt given`));
    expect(ruleQuery(theirRule())).toBe("message:malware");
    expect(ruleTags(theirRule())).toContain(`sentinel-elastic-instance:${PREFIX}`);
    expect(theirConnector()!.config.headers).toMatchObject({ "X-Sentinel-Elastic-Instance": PREFIX });
    expect(theirWorkflow()!.tags).toMatchObject({
      "managed-by": "sentinel-elastic",
      "sentinel-elastic-instance": PREFIX,
    });
    const again = await w.run(["plan", "--non-interactive"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toContain("conflict");
  }, 180_000);
});

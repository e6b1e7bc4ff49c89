/**
 * A verify killed (kill -9) after it pushed its test case never runs its cleanup: the test case stays in Kibana
 * and its Sentinel incident stays open. The next verify removes it (closing the incident), but leaves a test case
 * whose run is still going and another instance's; teardown removes every test case of this instance.
 * The leftover is made here exactly as the killed run leaves it: the case, tagged as verify tags it, pushed
 * through our connector, with its run's deadline passed.
 */
import axios from "axios";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyCaseTags } from "../../src/verify/leftovers.js";
import { PREFIX } from "../safety/helpers/converged.js";
import { type SafetyWorld, startSafetyWorld } from "../safety/helpers/safety-world.js";

let w: SafetyWorld;
const CONNECTOR = `${PREFIX}-cases-webhook`;

async function kibana<T>(method: "post" | "get", path: string, body?: unknown): Promise<T> {
  const r = await axios.request({
    method,
    url: `${w.elastic.kibanaUrl}${path}`,
    data: body,
    headers: { authorization: `ApiKey ${w.elastic.apiKey}`, "kbn-xsrf": "true" },
    validateStatus: () => true,
  });
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.data)}`);
  return r.data as T;
}

/** A test case as a verify run leaves it when killed right after its push; returns the case and incident ids. */
async function leftover(tags: string[], push: boolean): Promise<{ caseId: string; incident?: string }> {
  const c = await kibana<{ id: string }>("post", "/api/cases", {
    title: "sentinel-elastic verify se-verify-killed",
    description: "Test case created by `sentinel-elastic verify`. Safe to delete.",
    tags,
    severity: "high",
    owner: "securitySolution",
    settings: { syncAlerts: false },
    connector: {
      id: CONNECTOR,
      name: `Microsoft Sentinel incidents (${PREFIX})`,
      type: ".cases-webhook",
      fields: null,
    },
  });
  if (!push) return { caseId: c.id };
  const pushed = await kibana<{ external_service: { external_id: string } }>(
    "post",
    `/api/cases/${c.id}/connector/${CONNECTOR}/_push`,
  );
  return { caseId: c.id, incident: pushed.external_service.external_id };
}

const caseExists = (id: string) => w.elastic.state.cases().some((c: { id: string }) => c.id === id);
const incidentStatus = (name: string) =>
  [...w.azure.state.incidents.values()].find((i) => i.resource.name === name)?.resource.properties.status;

beforeAll(async () => {
  w = await startSafetyWorld();
  const r = await w.run(["setup", "--yes", "--non-interactive", "--no-verify"]);
  if (r.code !== 0) throw new Error(r.stderr);
}, 120_000);

afterAll(async () => {
  await w?.stop();
});

describe("verify's leftovers after a kill", () => {
  let killed: { caseId: string; incident?: string };
  let running: { caseId: string };
  let others: { caseId: string };

  it("the next verify removes the killed run's test case and closes its incident, and nothing else", async () => {
    const now = w.elastic.clock.now();
    killed = await leftover(verifyCaseTags(PREFIX, now - 60_000), true);
    running = await leftover(verifyCaseTags(PREFIX, now + 3_600_000), false);
    others = await leftover(verifyCaseTags("other-soc", now - 60_000), false);
    expect(incidentStatus(killed.incident!)).toBe("New");

    const r = await w.run(["verify", "--only", "case", "--non-interactive"]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/left by an interrupted verify removed/);
    expect(caseExists(killed.caseId), "the killed run's case is gone").toBe(false);
    expect(incidentStatus(killed.incident!), "its incident is closed").toBe("Closed");
    expect(caseExists(running.caseId), "a run still going keeps its case").toBe(true);
    expect(caseExists(others.caseId), "another instance's case is not ours").toBe(true);
    // verify's own test case was deleted by its own cleanup.
    const ours = w.elastic.state
      .cases()
      .filter((c: { tags: string[] }) => c.tags.includes(`sentinel-elastic-instance:${PREFIX}`));
    expect(ours.map((c: { id: string }) => c.id)).toEqual([running.caseId]);
  }, 240_000);

  it("teardown removes every test case of this instance, and only of this instance", async () => {
    const r = await w.run(["teardown", "--yes", "--non-interactive"]);
    expect(r.code, r.stderr).toBe(0);
    expect(caseExists(running.caseId)).toBe(false);
    expect(caseExists(others.caseId)).toBe(true);
  }, 240_000);
});

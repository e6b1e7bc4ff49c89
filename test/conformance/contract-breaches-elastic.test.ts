/**
 * The checker fails on what the published Elastic contracts forbid (Kibana connectors, cases, case settings,
 * detection rules, Fleet, Elasticsearch) and the allow-list carries its evidence: for each family, a known bad
 * request is fed to it and the breach must be named (rule and JSON path); a good request of the same shape passes.
 */
import { describe, expect, it } from "vitest";
import { type Breach, type RecordedRequest, allowList, checkRequest, newMemory } from "../helpers/contract-checker.js";

const BEARER = { authorization: "Bearer x", "content-type": "application/json" };

function req(
  service: string,
  method: string,
  path: string,
  body?: unknown,
  o: { query?: string; headers?: Record<string, string> } = {},
): RecordedRequest {
  return {
    service,
    method,
    path,
    query: new URLSearchParams(o.query ?? ""),
    headers: o.headers ?? (service === "kibana" ? { "kbn-xsrf": "t", "content-type": "application/json" } : BEARER),
    raw: body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body),
  };
}
const named = (b: Breach[]) => b.map((x) => `${x.family} ${x.rule} ${x.path ?? ""}`.trim());

describe("Kibana connectors", () => {
  const casesWebhook = {
    connector_type_id: ".cases-webhook",
    name: "n",
    config: {
      createIncidentJson: "{}",
      createIncidentResponseKey: "id",
      createIncidentUrl: "u",
      getIncidentResponseExternalTitleKey: "t",
      getIncidentUrl: "u",
      updateIncidentJson: "{}",
      updateIncidentUrl: "u",
      viewIncidentUrl: "u",
      headers: { "Content-Type": "application/json" },
    },
    secrets: {},
  };
  it("a cases-webhook connector passes (its object headers are a reviewed exception); without kbn-xsrf it is named", () => {
    expect(checkRequest(req("kibana", "POST", "/api/actions/connector/c", casesWebhook))).toEqual([]);
    const noXsrf = req("kibana", "POST", "/api/actions/connector/c", casesWebhook, {
      headers: { "content-type": "application/json" },
    });
    expect(named(checkRequest(noXsrf))).toEqual(["kibana-connectors header"]);
  });
  it("a config method the connector does not offer and an unknown secret are named; an update is checked against the type created", () => {
    const memory = newMemory();
    const bad = {
      ...casesWebhook,
      config: { ...casesWebhook.config, createIncidentMethod: "get" },
      secrets: { token: "x" },
    };
    expect(named(checkRequest(req("kibana", "POST", "/api/actions/connector/c", bad), memory))).toEqual([
      "kibana-connectors enum $.config.createIncidentMethod",
      "kibana-connectors unknown-property $.secrets.token",
    ]);
    const run = {
      params: {
        subAction: "pushToService",
        subActionParams: { incident: { title: "t" }, comments: [{ comment: "c", commentId: 1 }] },
      },
    };
    expect(named(checkRequest(req("kibana", "POST", "/api/actions/connector/c/_execute", run), memory))).toEqual([
      "kibana-connectors type $.params.subActionParams.comments[0].commentId",
    ]);
    const update = { name: "n", config: { ...casesWebhook.config, updateIncidentMethod: "delete" } };
    expect(named(checkRequest(req("kibana", "PUT", "/api/actions/connector/c", update), memory))).toEqual([
      "kibana-connectors enum $.config.updateIncidentMethod",
    ]);
  });
});

describe("Kibana cases, case settings and detection rules", () => {
  it("case settings without an owner, and a closure type Kibana does not know, are named", () => {
    const body = {
      closure_type: "close-by-user",
      connector: { id: "none", name: "none", type: ".none", fields: null },
    };
    expect(named(checkRequest(req("kibana", "POST", "/api/cases/configure", body)))).toEqual([
      "kibana-cases required $.owner",
    ]);
    expect(
      named(
        checkRequest(
          req("kibana", "PATCH", "/api/cases/configure/c1", { version: "v", closure_type: "close-by-magic" }),
        ),
      ),
    ).toEqual(["kibana-cases enum $.closure_type"]);
  });
  it("deleting cases without ids, or reading a rule without rule_id or id, is named", () => {
    expect(named(checkRequest(req("kibana", "DELETE", "/api/cases")))).toEqual(["kibana-cases query"]);
    expect(checkRequest(req("kibana", "DELETE", "/api/cases", undefined, { query: 'ids=["c1"]' }))).toEqual([]);
    expect(
      named(checkRequest(req("kibana", "GET", "/api/detection_engine/rules", undefined, { query: "x=1" }))),
    ).toEqual(["kibana-detection-rules query"]);
  });
  it("a rule without a risk score and with an action frequency Kibana does not know are named", () => {
    const rule = {
      type: "query",
      name: "n",
      description: "d",
      severity: "high",
      actions: [
        {
          action_type_id: ".webhook",
          id: "a",
          params: {},
          frequency: { summary: true, notifyWhen: "always", throttle: null },
        },
      ],
    };
    expect(named(checkRequest(req("kibana", "POST", "/api/detection_engine/rules", rule)))).toEqual([
      "kibana-detection-rules required $.risk_score",
      "kibana-detection-rules enum $.actions[0].frequency.notifyWhen",
    ]);
  });
});

describe("Fleet and Elasticsearch", () => {
  it("a Fleet write without kbn-xsrf and a Fleet path that does not exist are named", () => {
    const noXsrf = req(
      "kibana",
      "POST",
      "/api/fleet/agent_policies",
      { name: "p", namespace: "default" },
      { headers: {} },
    );
    expect(named(checkRequest(noXsrf))).toEqual(["fleet header"]);
    expect(named(checkRequest(req("kibana", "POST", "/api/fleet/agent_policy", {})))).toEqual([
      "kibana unknown-operation",
    ]);
  });
  it("an agent policy without its namespace and a package policy without the package version are named", () => {
    expect(named(checkRequest(req("kibana", "POST", "/api/fleet/agent_policies", { name: "p" })))).toEqual([
      "fleet required $.namespace",
    ]);
    const pp = {
      name: "pp",
      policy_ids: ["a"],
      package: { name: "microsoft_sentinel" },
      inputs: { x: { enabled: "yes" } },
    };
    expect(named(checkRequest(req("kibana", "POST", "/api/fleet/package_policies", pp)))).toEqual([
      "fleet required $.package.version",
      "fleet type $.inputs.x.enabled",
    ]);
  });
  it("an Elasticsearch method the REST spec does not have and a document that is not JSON are named", () => {
    expect(
      named(checkRequest(req("elasticsearch", "DELETE", "/_security/_authenticate", undefined, { headers: {} }))),
    ).toEqual(["elasticsearch unknown-operation"]);
    expect(
      named(checkRequest(req("elasticsearch", "POST", "/logs-x-default/_doc", "{not json", { headers: {} }))),
    ).toEqual(["elasticsearch body"]);
  });
});

describe("the allow-list", () => {
  it("every reviewed exception names its family, rule, reason and public evidence", () => {
    for (const a of allowList) {
      expect(a.id && a.family && a.rule && a.why, JSON.stringify(a)).toBeTruthy();
      expect(a.evidence, a.id).toMatch(/(github|learn\.microsoft\.com|[\w-]+\/[\w.-]+:[\w./-]+)/);
    }
  });
});

import { afterEach, describe, expect, it } from "vitest";
import {
  createLogicRuntime,
  createTestHost,
  definition,
  post,
  runOnce,
  sendJson,
  startServer,
  workflow,
} from "./helpers.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

const CONN = "/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Web/connections/azuresentinel";
const WS = "/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.OperationalInsights/workspaces/ws1";
const connections = {
  $connections: {
    value: {
      azuresentinel: {
        connectionId: CONN,
        connectionName: "azuresentinel",
        id: "/subscriptions/sub1/providers/Microsoft.Web/locations/westeurope/managedApis/azuresentinel",
      },
    },
  },
};
const params = { $connections: { type: "Object", defaultValue: {} } };
const connection = { connection: { name: "@parameters('$connections')['azuresentinel']['connectionId']" } };

/** Just enough of Sentinel's incidents API: PUT/GET incidents with etags, PUT comments, token check. */
async function fakeSentinel() {
  const incidents = new Map<string, { etag: string; properties: Record<string, unknown> }>();
  const calls: { method: string; path: string; body: any; ifMatch?: string }[] = [];
  let n = 0;
  const srv = await startServer((req, raw, res) => {
    const url = new URL(req.url!, "http://x");
    const body = raw ? JSON.parse(raw) : undefined;
    calls.push({
      method: req.method!,
      path: url.pathname,
      body,
      ifMatch: req.headers["if-match"] as string | undefined,
    });
    if (req.headers.authorization !== `Bearer conn|${CONN}|https://management.azure.com/`)
      return sendJson(res, 401, { error: { code: "InvalidAuthenticationToken" } });
    if (url.searchParams.get("api-version") !== "2025-09-01")
      return sendJson(res, 400, { error: { code: "InvalidApiVersion" } });
    const comment = /\/incidents\/([^/]+)\/comments\/([^/]+)$/i.exec(url.pathname);
    if (comment && req.method === "PUT") return sendJson(res, 201, { name: comment[2], properties: body.properties });
    const m = /\/incidents\/([^/]+)$/i.exec(url.pathname);
    if (!m) return sendJson(res, 404, {});
    const id = url.pathname;
    const resource = (i: { etag: string; properties: Record<string, unknown> }) => ({
      id,
      name: m[1],
      etag: i.etag,
      properties: i.properties,
    });
    if (req.method === "GET") {
      const i = incidents.get(id);
      return i ? sendJson(res, 200, resource(i)) : sendJson(res, 404, { error: { code: "NotFound" } });
    }
    const existing = incidents.get(id);
    if (existing && body.etag && body.etag !== existing.etag)
      return sendJson(res, 412, { error: { code: "PreconditionFailed" } });
    const i = {
      etag: `"${++n}"`,
      properties: { ...body.properties, incidentNumber: n, incidentUrl: `https://portal/incidents/${m[1]}` },
    };
    incidents.set(id, i);
    sendJson(res, existing ? 200 : 201, resource(i));
  });
  closers.push(srv.close);
  return { url: srv.url, incidents, calls };
}

async function setup(status: "Connected" | "Error" = "Connected") {
  const sentinel = await fakeSentinel();
  const host = createTestHost(sentinel.url);
  host.connections.set(CONN, { status, authentication: "OAuth" });
  return { sentinel, rt: createLogicRuntime(host) };
}

const createDef = definition(
  {
    Create_incident: {
      type: "ApiConnection",
      inputs: {
        host: connection,
        method: "put",
        path: "/Incidents/subscriptions/@{encodeURIComponent('sub1')}/resourceGroups/@{encodeURIComponent('rg1')}/workspaces/@{encodeURIComponent('ws1')}",
        body: {
          title: "@triggerBody()?['case_title']",
          severity: "Medium",
          status: "New",
          description: "d",
          tagsToAdd: { TagsToAdd: [{ Tag: "elastic-case" }] },
        },
      },
    },
    Respond: {
      type: "Response",
      runAfter: { Create_incident: ["Succeeded"] },
      inputs: {
        statusCode: 200,
        body: {
          sentinel_incident_id: "@body('Create_incident')?['name']",
          url: "@body('Create_incident')?['properties']?['incidentUrl']",
        },
      },
    },
  },
  {},
  params,
);

describe("ApiConnection (azuresentinel)", () => {
  it("Create incident PUTs a new incident through the Sentinel REST API with the connection's token", async () => {
    const { sentinel, rt } = await setup();
    const { res, json } = await runOnce(
      rt,
      workflow(createDef, { parameters: connections }),
      post({ case_title: "Case 1" }),
    );
    expect(res.status).toBe(200);
    const [call] = sentinel.calls;
    expect(call!.method).toBe("PUT");
    expect(call!.path).toMatch(new RegExp(`^${WS}/providers/Microsoft.SecurityInsights/incidents/[0-9a-f-]{36}$`));
    expect(call!.body.properties).toEqual({
      title: "Case 1",
      severity: "Medium",
      status: "New",
      description: "d",
      labels: [{ labelName: "elastic-case" }], // labelType is read-only: not sent
    });
    expect(json.sentinel_incident_id).toBe(call!.path.split("/").pop());
    expect(json.url).toBe(`https://portal/incidents/${json.sentinel_incident_id}`);
  });

  it("Update incident reads the incident and PUTs the changed fields with its etag; Add comment and Get incident work by incident ARM id", async () => {
    const { sentinel, rt } = await setup();
    const created = await runOnce(rt, workflow(createDef, { parameters: connections }), post({ case_title: "Case 1" }));
    const armId = `${WS}/providers/Microsoft.SecurityInsights/incidents/${created.json.sentinel_incident_id}`;
    const def = definition(
      {
        Update: {
          type: "ApiConnection",
          inputs: {
            host: connection,
            method: "put",
            path: "/Incidents",
            body: {
              incidentArmId: armId,
              status: "Closed",
              classification: {
                ClassificationAndReason: "Undetermined",
                ClassificationReasonText: "Closed in Elastic",
              },
            },
          },
        },
        Comment: {
          type: "ApiConnection",
          runAfter: { Update: ["Succeeded"] },
          inputs: {
            host: connection,
            method: "post",
            path: "/Incidents/Comment",
            body: { incidentArmId: armId, message: "hello" },
          },
        },
        Get: {
          type: "ApiConnection",
          runAfter: { Comment: ["Succeeded"] },
          inputs: { host: connection, method: "post", path: "/Incidents", body: { incidentArmId: armId } },
        },
        R: {
          type: "Response",
          runAfter: { Get: ["Succeeded"] },
          inputs: {
            statusCode: 200,
            body: { title: "@body('Get')?['properties']?['title']", status: "@body('Get')?['properties']?['status']" },
          },
        },
      },
      {},
      params,
    );
    const { json, run } = await runOnce(rt, workflow(def, { parameters: connections }), post({}));
    expect(run!.status).toBe("Succeeded");
    const put = sentinel.calls.find((c, i) => i > 0 && c.method === "PUT" && c.path === armId)!;
    expect(put.ifMatch).toBe('"1"');
    expect(put.body.properties.incidentNumber).toBeUndefined();
    expect(put.body.properties).toMatchObject({
      title: "Case 1",
      status: "Closed",
      classification: "Undetermined",
      classificationComment: "Closed in Elastic",
    });
    expect(
      sentinel.calls.some(
        (c) => c.method === "PUT" && c.path.startsWith(`${armId}/comments/`) && c.body.properties.message === "hello",
      ),
    ).toBe(true);
    expect(json).toEqual({ title: "Case 1", status: "Closed" });
  });

  it("an ApiConnection action is refused while the connection is not Connected (nobody authorised it)", async () => {
    const { sentinel, rt } = await setup("Error");
    const { run, res } = await runOnce(rt, workflow(createDef, { parameters: connections }), post({ case_title: "x" }));
    expect(run!.actions.Create_incident).toMatchObject({
      status: "Failed",
      code: "Unauthorized",
      outputs: { statusCode: 401 },
    });
    expect(sentinel.calls).toHaveLength(0);
    expect(res.status).toBe(502);
  });

  it("the blog's update-incident branch fails when a case is closed: Close_Incident runs, the response reads the skipped Update_incident", async () => {
    const { sentinel, rt } = await setup();
    const created = await runOnce(rt, workflow(createDef, { parameters: connections }), post({ case_title: "Case 1" }));
    const armId = `${WS}/providers/Microsoft.SecurityInsights/incidents/${created.json.sentinel_incident_id}`;
    const update = (fields: Record<string, unknown>) => ({
      type: "ApiConnection",
      inputs: { host: connection, method: "put", path: "/Incidents", body: { incidentArmId: armId, ...fields } },
    });
    const def = definition(
      {
        Switch: {
          type: "Switch",
          expression: "@triggerBody()?['case_status']",
          cases: {
            Case: {
              case: "closed",
              actions: {
                Close_Incident: update({
                  status: "Closed",
                  classification: { ClassificationAndReason: "Undetermined" },
                }),
              },
            },
          },
          default: { actions: { Update_incident: update({ severity: "High" }) } },
        },
        Update_incident_response: {
          type: "Response",
          runAfter: { Switch: ["Succeeded"] },
          inputs: {
            statusCode: 200,
            body: {
              title: "@body('Update_incident')?['properties']?['title']",
              url: "@body('Update_incident')?['properties']?['incidentUrl']",
            },
          },
        },
      },
      {},
      params,
    );
    const { res, run } = await runOnce(rt, workflow(def, { parameters: connections }), post({ case_status: "closed" }));
    expect(sentinel.incidents.get(armId)!.properties.status).toBe("Closed");
    expect(run!.actions.Close_Incident!.status).toBe("Succeeded");
    expect(run!.actions.Update_incident!.status).toBe("Skipped");
    expect(run!.actions.Update_incident_response!.error!.code).toBe("InvalidTemplate");
    expect(run!.status).toBe("Failed");
    expect(res.status).toBe(502);
  });

  it("an azuresentinel operation the sandbox does not emulate fails naming it", async () => {
    const { rt } = await setup();
    const def = definition(
      { X: { type: "ApiConnection", inputs: { host: connection, method: "get", path: "/Entities/x" } } },
      {},
      params,
    );
    const { run } = await runOnce(rt, workflow(def, { parameters: connections }), post({}));
    expect(run!.actions.X!.error).toMatchObject({
      code: "OperationNotSupported",
      message: expect.stringContaining("GET /Entities/x"),
    });
  });
});

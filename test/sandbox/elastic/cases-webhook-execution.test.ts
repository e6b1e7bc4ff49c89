/**
 * `.cases-webhook` execution over real HTTP, pinned to Kibana's
 * stack_connectors/server/connector_types/cases_webhook/{service,utils,validators}.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ElasticSandbox } from "../../../src/sandbox/elastic/index.js";
import { casesWebhookConfig, kibana, type Received, type Reply, receiver, sandbox } from "./helpers.js";

type Rx = Awaited<ReturnType<typeof receiver>>;

/** A fake incident service: POST /incidents → {id}, GET /incidents/:id → {title}, others → {}. */
function incidentService(title = "remote title"): (r: Received) => Reply {
  return (r) => {
    if (r.method === "POST" && r.url === "/incidents")
      return { body: { id: "INC-1", data: { nested: [{ key: 42 }] } } };
    if (r.method === "GET" && r.url.startsWith("/incidents/"))
      return { body: { title, id: decodeURIComponent(r.url.split("/")[2]!) } };
    return { body: { ok: true } };
  };
}

const incident = (extra: Record<string, unknown> = {}) => ({
  title: "t",
  description: "d",
  tags: ["a"],
  externalId: null,
  ...extra,
});

describe(".cases-webhook execution", () => {
  let sb: ElasticSandbox;
  let rx: Rx;
  let reply: (r: Received) => Reply;
  beforeEach(async () => {
    sb = await sandbox();
    reply = incidentService();
    rx = await receiver((r) => reply(r));
  });
  afterEach(async () => {
    await sb.stop();
    await rx.close();
  });

  const connector = async (extra: Record<string, unknown> = {}) => {
    const res = await kibana(sb).post("/api/actions/connector", {
      name: "cw",
      connector_type_id: ".cases-webhook",
      config: casesWebhookConfig(rx.url, extra),
      secrets: {},
    });
    expect(res.status, JSON.stringify(res.data)).toBe(200);
    return res.data.id as string;
  };
  const push = (id: string, inc = incident(), comments: unknown = null) =>
    kibana(sb).post(`/api/actions/connector/${id}/_execute`, {
      params: { subAction: "pushToService", subActionParams: { incident: inc, comments } },
    });

  it("a .cases-webhook create always follows with a GET of the created incident", async () => {
    const id = await connector();
    const res = await push(id);
    expect(res.status).toBe(200);
    expect(res.data.status).toBe("ok");
    expect(rx.received.map((r) => `${r.method} ${r.url}`)).toEqual(["POST /incidents", "GET /incidents/INC-1"]);
    expect(res.data.data).toMatchObject({ id: "INC-1", title: "remote title", url: `${rx.url}/view/INC-1` });
  });

  it("the blog's case template with a hostile title arrives as valid JSON with the title intact", async () => {
    const hostile = `He said "hi" \\ back\\slash\nnew line\ttab 🚨💥 </script><script>alert('x')</script> {{not.a.var}}`;
    const id = await connector({
      createIncidentJson:
        '{"case_title": {{{case.title}}}, "case_description": {{{case.description}}}, "tags": {{{case.tags}}}, "severity": {{{case.severity}}}}',
    });
    const res = await push(
      id,
      incident({ title: hostile, description: 'multi\nline "quoted"', tags: ['t"1', "t2"], severity: "high" }),
    );
    expect(res.data.status, JSON.stringify(res.data)).toBe("ok");
    const create = rx.received[0]!;
    const parsed = JSON.parse(create.body);
    expect(parsed.case_title).toBe(hostile);
    expect(parsed.case_description).toBe('multi\nline "quoted"');
    expect(parsed.tags).toEqual(['t"1', "t2"]);
    expect(parsed.severity).toBe("high");
    expect(create.headers["content-type"]).toContain("application/json");
  });

  it("{{case.title}} with double braces HTML-escapes the quotes and the body is rejected as invalid JSON", async () => {
    const id = await connector({ createIncidentJson: '{"title": {{case.title}}}' });
    const res = await push(id);
    expect(res.status).toBe(200);
    expect(res.data.status).toBe("error");
    expect(res.data.service_message).toContain("JSON Error: Create case JSON body must be valid JSON");
    expect(rx.received).toHaveLength(0);
  });

  it('quoting a triple-brace case variable ("{{{case.title}}}") doubles the quotes and fails JSON validation', async () => {
    const id = await connector({ createIncidentJson: '{"title": "{{{case.title}}}"}' });
    const res = await push(id);
    expect(res.data.status).toBe("error");
    expect(res.data.message).toBe("an error occurred while running the action");
    expect(res.data.service_message).toMatch(
      /^\[Action\]\[Webhook - Case Management\]: Unable to create case\. Error: JSON Error/,
    );
  });

  it("createIncidentUrl is not rendered: mustache in it is sent literally", async () => {
    const id = await connector({ createIncidentUrl: `${rx.url}/incidents?x={{{case.title}}}` });
    await push(id);
    expect(rx.received[0]!.url).toBe("/incidents?x={{{case.title}}}");
  });

  it("external.system.id is URL-encoded in URLs and JSON-stringified in bodies", async () => {
    reply = (r) => {
      if (r.method === "POST" && r.url === "/incidents") return { body: { id: 'a/b "c"' } };
      if (r.method === "GET") return { body: { title: "T" } };
      return { body: {} };
    };
    const id = await connector();
    const res = await push(id, incident(), [{ comment: "first", commentId: "c1" }]);
    expect(res.data.status, JSON.stringify(res.data)).toBe("ok");
    expect(rx.received[1]!.url).toBe(`/incidents/${encodeURIComponent('a/b "c"')}`);
    const comment = rx.received[2]!;
    expect(comment.url).toBe(`/incidents/${encodeURIComponent('a/b "c"')}/comments`);
    expect(JSON.parse(comment.body)).toEqual({ comment: "first", incident: 'a/b "c"' });
    expect(res.data.data.url).toBe(`${rx.url}/view/${encodeURIComponent('a/b "c"')}`);
  });

  it("the create response id is read with a lodash-style path and numbers become strings", async () => {
    const id = await connector({ createIncidentResponseKey: "data.nested[0].key" });
    const res = await push(id);
    expect(res.data.status).toBe("ok");
    expect(rx.received[1]!.url).toBe("/incidents/42");
    expect(res.data.data.id).toBe("42");
  });

  it("a response without the required key fails with Kibana's message", async () => {
    const id = await connector({ createIncidentResponseKey: "missing.key" });
    const res = await push(id);
    expect(res.data.status).toBe("error");
    expect(res.data.service_message).toContain("Response is missing the expected field: missing.key");
  });

  it("a response without a JSON content-type fails (Unsupported content type)", async () => {
    reply = () => ({ headers: { "content-type": "text/html" }, body: "<html>login</html>" });
    const id = await connector();
    const res = await push(id);
    expect(res.data.status).toBe("error");
    expect(res.data.service_message).toContain("Unsupported content type: text/html in post");
  });

  it("an updateIncident with externalId set sends the update, then a GET, then the comments", async () => {
    const id = await connector();
    const res = await push(id, incident({ externalId: "INC-9" }), [
      { comment: "c1", commentId: "1" },
      { comment: "", commentId: "2" },
    ]);
    expect(res.data.status, JSON.stringify(res.data)).toBe("ok");
    expect(rx.received.map((r) => `${r.method} ${r.url}`)).toEqual([
      "PUT /incidents/INC-9",
      "GET /incidents/INC-9",
      "POST /incidents/INC-9/comments",
    ]);
    expect(JSON.parse(rx.received[0]!.body)).toEqual({ title: "t", id: "INC-9" });
    expect(res.data.data.comments).toEqual([{ commentId: "1", pushedDate: expect.any(String) }]);
  });

  it("a 204 without body or content-type is accepted where no key is required (update, comment) but not for create", async () => {
    reply = (r) =>
      r.method === "GET" ? { body: { title: "T" } } : { status: 204, headers: { "content-type": undefined } };
    const id = await connector();
    const update = await push(id, incident({ externalId: "INC-9" }), [{ comment: "c", commentId: "1" }]);
    expect(update.data.status, JSON.stringify(update.data)).toBe("ok");
    const create = await push(id);
    expect(create.data.status).toBe("error");
    expect(create.data.service_message).toContain("Missing content type header in post");
  });

  it("getIncidentMethod post (8.17+) sends getIncidentJson with the JSON-stringified id", async () => {
    const id = await connector({
      getIncidentMethod: "post",
      getIncidentUrl: `${rx.url}/lookup`,
      getIncidentJson: '{"lookup": {{{external.system.id}}}}',
    });
    reply = (r) => (r.url === "/incidents" ? { body: { id: "INC-1" } } : { body: { title: "found" } });
    const res = await push(id);
    expect(res.data.status).toBe("ok");
    expect(rx.received[1]!.method).toBe("POST");
    expect(JSON.parse(rx.received[1]!.body)).toEqual({ lookup: "INC-1" });
  });

  it("a 3xx answer to the create POST is followed as a GET (axios/follow-redirects, kibana#266724)", async () => {
    reply = (r) => {
      if (r.method === "POST" && r.url === "/incidents")
        return { status: 302, headers: { location: "/moved" }, body: {} };
      if (r.url === "/moved") return { body: { note: "I am a GET now" } };
      return { body: { title: "x" } };
    };
    const id = await connector();
    const res = await push(id);
    expect(rx.received[1]).toMatchObject({ method: "GET", url: "/moved" });
    expect(res.data.status).toBe("error");
    expect(res.data.service_message).toContain("Response is missing the expected field: id");
  });

  it("a remote 500 is reported as status error with HTTP 200 and the server response in the message", async () => {
    reply = () => ({ status: 500, body: { error: "boom" } });
    const id = await connector();
    const res = await push(id);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ connector_id: id, status: "error", retry: true });
    expect(res.data.service_message).toContain('{"error":"boom"}');
    expect(res.data.service_message).toContain("Reason: Internal Server Error");
  });

  it("hasAuth true with basic secrets sends an Authorization header and secretHeaders are merged (9.2+)", async () => {
    const res = await kibana(sb).post("/api/actions/connector", {
      name: "cw",
      connector_type_id: ".cases-webhook",
      config: casesWebhookConfig(rx.url, { hasAuth: true, authType: "webhook-authentication-basic" }),
      secrets: { user: "u", password: "p", secretHeaders: { "x-secret": "s3" } },
    });
    expect(res.status, JSON.stringify(res.data)).toBe(200);
    await push(res.data.id);
    expect(rx.received[0]!.headers.authorization).toBe(`Basic ${Buffer.from("u:p").toString("base64")}`);
    expect(rx.received[0]!.headers["x-secret"]).toBe("s3");
  });

  it("a target outside xpack.actions.allowedHosts is refused at save time", async () => {
    const res = await kibana(sb).post("/api/actions/connector", {
      name: "cw",
      connector_type_id: ".cases-webhook",
      config: casesWebhookConfig("https://example.com"),
      secrets: {},
    });
    expect(res.status).toBe(400);
    expect(res.data.message).toContain("xpack.actions.allowedHosts");
  });
});

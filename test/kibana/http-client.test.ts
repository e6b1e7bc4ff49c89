import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { HttpEvent } from "../../src/engine/clients.js";
import { exitCodeOf, type SentinelElasticError } from "../../src/errors.js";
import { createKibanaHttp, type KibanaHttpOptions } from "../../src/kibana/http.js";
import { parseRetryAfter } from "../../src/kibana/retry-policy.js";

const API_KEY = "Q0FOQVJZaWQ6Q0FOQVJZa2V5MDAwMDAwMDA=";

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
});

type Reply = { status: number; headers?: Record<string, string>; body?: string } | "reset" | "stall";

/** A fake Kibana answering from a script of replies, one per request; the last one repeats. */
async function fakeKibana(replies: Reply[]) {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    const reply = replies[Math.min(seen.length - 1, replies.length - 1)]!;
    req.resume();
    if (reply === "reset") {
      req.socket.destroy();
      return;
    }
    // Never answers: the client's timeout ends the request (afterEach closes the connection).
    if (reply === "stall") return;
    res.writeHead(reply.status, { "content-type": "application/json", "kbn-name": "kb", ...reply.headers });
    res.end(reply.body ?? "{}");
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return { seen, url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}` };
}

function client(url: string, extra: Partial<KibanaHttpOptions> = {}) {
  const waits: number[] = [];
  const events: HttpEvent[] = [];
  const http = createKibanaHttp({
    baseUrl: url,
    space: "soc",
    auth: { kind: "apiKey", apiKey: API_KEY },
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    onHttp: (e) => events.push(e),
    ...extra,
  });
  return { http, waits, events };
}

async function failure(p: Promise<unknown>): Promise<SentinelElasticError> {
  try {
    await p;
  } catch (e) {
    return e as SentinelElasticError;
  }
  throw new Error("expected a failure");
}

describe("Kibana HTTP client", () => {
  it("sends kbn-xsrf, JSON, the API version, a versioned user agent and ApiKey auth, under the space prefix", async () => {
    const k = await fakeKibana([{ status: 200, body: '{"ok":true}' }]);
    const { http } = client(k.url);
    const res = await http.request<{ ok: boolean }>({ method: "POST", path: "/api/cases", body: { a: 1 } });
    expect(res.body).toEqual({ ok: true });
    const h = k.seen[0]!.headers;
    expect(k.seen[0]!.url).toBe("/s/soc/api/cases");
    expect(h["kbn-xsrf"]).toBeTruthy();
    expect(h["content-type"]).toBe("application/json");
    expect(h["elastic-api-version"]).toBe("2023-10-31");
    expect(h["user-agent"]).toMatch(/^sentinel-elastic\/\d+\.\d+\.\d+/);
    expect(h.authorization).toBe(`ApiKey ${API_KEY}`);
  });

  it("the default space has no prefix; space-independent routes skip it", async () => {
    const k = await fakeKibana([{ status: 200 }]);
    await createKibanaHttp({
      baseUrl: k.url,
      space: "default",
      auth: { kind: "basic", username: "u", password: "p4ssw0rd!" },
    }).request({
      method: "GET",
      path: "/api/actions/connectors",
    });
    await client(k.url).http.request({ method: "GET", path: "/api/status", spaceScoped: false });
    expect(k.seen.map((s) => s.url)).toEqual(["/api/actions/connectors", "/api/status"]);
    expect(k.seen[0]!.headers.authorization).toBe(`Basic ${Buffer.from("u:p4ssw0rd!").toString("base64")}`);
  });

  it("retries an idempotent call on 503 with growing backoff, up to the bound", async () => {
    const k = await fakeKibana([{ status: 503 }]);
    const { http, waits } = client(k.url);
    const e = await failure(http.request({ method: "GET", path: "/api/x" }));
    expect(k.seen).toHaveLength(4);
    expect(waits).toEqual([375, 750, 1500]);
    expect(e.code).toBe("KIBANA_SERVER_ERROR");
  });

  it("honours Retry-After on 429, then succeeds", async () => {
    const k = await fakeKibana([
      { status: 429, headers: { "retry-after": "7" } },
      { status: 200, body: '{"n":1}' },
    ]);
    const { http, waits } = client(k.url);
    expect((await http.request({ method: "PUT", path: "/api/x", body: {} })).body).toEqual({ n: 1 });
    expect(waits).toEqual([7000]);
  });

  it("retries a connection reset of an idempotent call", async () => {
    const k = await fakeKibana(["reset", { status: 200, body: "[]" }]);
    const { http } = client(k.url);
    expect((await http.request({ method: "GET", path: "/api/x" })).body).toEqual([]);
    expect(k.seen).toHaveLength(2);
  });

  it("never retries a POST that is not idempotent", async () => {
    const k = await fakeKibana([{ status: 503 }]);
    const { http, waits } = client(k.url);
    await failure(http.request({ method: "POST", path: "/api/actions/connector/x/_execute", body: {} }));
    expect(k.seen).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("does not follow redirects: any 3xx is an error", async () => {
    const k = await fakeKibana([{ status: 302, headers: { location: "https://login.example.com/" } }]);
    const e = await failure(client(k.url).http.request({ method: "POST", path: "/api/x", body: {}, idempotent: true }));
    expect(k.seen).toHaveLength(1);
    expect(e.code).toBe("KIBANA_REDIRECT");
    expect(e.message).toContain("302");
  });

  it("401 is an authentication error (exit 4); 403 names the privilege (exit 4)", async () => {
    const k = await fakeKibana([
      { status: 401, body: '{"statusCode":401,"error":"Unauthorized","message":"Unauthorized"}' },
      { status: 403, body: '{"statusCode":403,"error":"Forbidden","message":"Unauthorized to create a connector"}' },
    ]);
    const { http } = client(k.url);
    const e401 = await failure(http.request({ method: "GET", path: "/api/x" }));
    expect(e401.code).toBe("KIBANA_UNAUTHORIZED");
    expect(exitCodeOf(e401)).toBe(4);
    const e403 = await failure(
      http.request({ method: "GET", path: "/api/x", privilege: "Actions and Connectors: All" }),
    );
    expect(e403.code).toBe("KIBANA_FORBIDDEN");
    expect(e403.message).toContain("Actions and Connectors: All");
    expect(e403.message).toContain("Unauthorized to create a connector");
    expect(exitCodeOf(e403)).toBe(4);
  });

  it("a 404 of a read that may miss is undefined, not an error", async () => {
    const k = await fakeKibana([
      { status: 404, body: '{"statusCode":404,"error":"Not Found","message":"Saved object [action/x] not found"}' },
    ]);
    expect(
      await client(k.url).http.request({ method: "GET", path: "/api/actions/connector/x", allow404: true }),
    ).toBeUndefined();
  });

  it("debug events carry method, URL, status and duration, never the key or a sig", async () => {
    const k = await fakeKibana([{ status: 500, body: `{"message":"boom ApiKey ${API_KEY} sig=abcdefSECRET"}` }]);
    const { http, events } = client(k.url, { retry: { maxAttempts: 1 } });
    const e = await failure(http.request({ method: "GET", path: "/api/x", query: { sig: "abcdefSECRET" } }));
    expect(events[0]).toMatchObject({ remote: "kibana", method: "GET", status: 500 });
    const printed = JSON.stringify(events) + e.message;
    expect(printed).not.toContain(API_KEY);
    expect(printed).not.toContain("abcdefSECRET");
  });

  it("Retry-After is read as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });
});

describe("a stalled read", () => {
  it("a GET that stalls once is asked again and succeeds", async () => {
    const k = await fakeKibana(["stall", { status: 200, body: '{"ok":true}' }]);
    // Roomy enough for the second answer on a loaded machine; the stall itself costs one bound.
    const { http, waits } = client(k.url, { timeoutMs: 2000 });
    const res = await http.request<{ ok: boolean }>({ method: "GET", path: "/api/status", spaceScoped: false });
    expect(res.body).toEqual({ ok: true });
    expect(k.seen.map((s) => s.method)).toEqual(["GET", "GET"]);
    expect(waits).toHaveLength(1);
  });

  it("a GET that keeps stalling fails after a bounded number of attempts, saying a re-run continues", async () => {
    const k = await fakeKibana(["stall"]);
    const { http } = client(k.url, { timeoutMs: 100 });
    const e = await failure(http.request({ method: "GET", path: "/api/status", spaceScoped: false }));
    expect(e.code).toBe("KIBANA_TIMEOUT");
    expect(k.seen).toHaveLength(2);
    expect(e.message).toMatch(/2 attempts/);
    expect(e.suggestion).toMatch(/re-run: it continues/);
    expect(exitCodeOf(e)).toBe(1);
  });

  it("a POST that stalls is not repeated (it may have been applied)", async () => {
    const k = await fakeKibana(["stall", { status: 200 }]);
    const { http } = client(k.url, { timeoutMs: 100 });
    const e = await failure(http.request({ method: "POST", path: "/api/cases", body: {} }));
    expect(e.code).toBe("KIBANA_TIMEOUT");
    expect(k.seen).toHaveLength(1);
  });
});

/** Fault injection shared with the other emulators (src/sandbox/common/faults.ts), wired into both servers. */
import { afterEach, describe, expect, it } from "vitest";
import type { ElasticSandbox } from "../../../src/sandbox/elastic/index.js";
import { es, kibana, sandbox } from "./helpers.js";

describe("fault injection", () => {
  let sb: ElasticSandbox;
  afterEach(() => sb.stop());

  it("a per-route override fails exactly the next N matching requests on Kibana", async () => {
    sb = await sandbox({ faults: { routes: [{ match: "POST /api/cases", times: 2, kinds: [503] }] } });
    const body = {
      title: "t",
      description: "d",
      tags: [],
      connector: { id: "none", name: "none", type: ".none", fields: null },
      settings: { syncAlerts: false },
      owner: "securitySolution",
    };
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await kibana(sb).post("/api/cases", body)).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(sb.faults.injected).toBe(2);
  });

  it("faults can be switched on at run time and apply to Elasticsearch too", async () => {
    sb = await sandbox();
    expect((await es(sb).get("/")).status).toBe(200);
    sb.faults.set({ errorRate: 1, kinds: [429], retryAfterSeconds: 7 });
    const res = await es(sb).get("/");
    expect(res.status).toBe(429);
    expect(res.headers["retry-after"]).toBe("7");
    sb.faults.set(undefined);
    expect((await es(sb).get("/")).status).toBe(200);
  });

  it("a connection reset surfaces as a network error", async () => {
    sb = await sandbox({ faults: { routes: [{ match: "GET /api/status", times: 1, kinds: ["reset"] }] } });
    await expect(kibana(sb).get("/api/status")).rejects.toThrow();
    expect((await kibana(sb).get("/api/status")).status).toBe(200);
  });
});

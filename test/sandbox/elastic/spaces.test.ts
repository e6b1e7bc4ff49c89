/**
 * Kibana's spaces API, read side: the list holds the spaces the caller may use (any privilege there), one space
 * reads by id, and a missing one is 404 "Saved object [space/<id>] not found".
 */
import axios from "axios";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ElasticSandbox } from "../../../src/sandbox/elastic/index.js";
import { kibana, sandbox } from "./helpers.js";

let sb: ElasticSandbox;
beforeAll(async () => {
  sb = await sandbox({ spaces: ["default", "soc", "marketing"] });
});
afterAll(async () => {
  await sb?.stop();
});

describe("GET /api/spaces/space", () => {
  it("lists every space for a superuser key, with ids and names", async () => {
    const res = await kibana(sb).get("/api/spaces/space");
    expect(res.status).toBe(200);
    expect(res.data.map((s: { id: string }) => s.id)).toEqual(["default", "soc", "marketing"]);
    expect(res.data[0]).toMatchObject({ id: "default", name: "Default", _reserved: true });
  });

  it("lists only the spaces a user holds a privilege in", async () => {
    sb.state.addUser({
      username: "analyst",
      password: "pw-analyst",
      privileges: {
        applications: [{ application: "kibana-.kibana", privileges: ["feature_siem.all"], resources: ["space:soc"] }],
      },
    });
    const res = await axios.get(`${sb.kibanaUrl}/api/spaces/space`, {
      auth: { username: "analyst", password: "pw-analyst" },
      validateStatus: () => true,
    });
    expect(res.status).toBe(200);
    expect(res.data.map((s: { id: string }) => s.id)).toEqual(["soc"]);
  });
});

describe("GET /api/spaces/space/{id}", () => {
  it("reads one space, and a missing one is Kibana's saved-object 404", async () => {
    expect((await kibana(sb).get("/api/spaces/space/soc")).data.id).toBe("soc");
    const missing = await kibana(sb).get("/api/spaces/space/nope");
    expect(missing.status).toBe(404);
    expect(missing.data.message).toBe("Saved object [space/nope] not found");
  });
});

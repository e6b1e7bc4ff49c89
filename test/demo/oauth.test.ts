/**
 * The blog's authorization mode, through the CLI: an OAuth `azuresentinel` API connection deploys unauthorised.
 * A non-interactive setup stops with exit 4 and the consent link; once a person consents (the sandbox's consent
 * page stands in for the portal), setup completes and verify passes both paths.
 */
import { request } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type WorldCli, ids, startWorldCli } from "./world-cli.js";

let w: WorldCli;
beforeAll(async () => {
  w = await startWorldCli({ "sentinel.authorization": "oauth" });
}, 60_000);
afterAll(async () => {
  await w?.stop();
});

function get(url: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    })
      .on("error", reject)
      .end();
  });
}

describe("setup and verify with an OAuth API connection", () => {
  let link: string | undefined;

  it("a non-interactive setup stops with exit 4 and the consent link, before the Kibana side points at it", async () => {
    const r = await w.run(["setup", "--yes", "--non-interactive"]);
    expect(r.code).toBe(4);
    link = /https:\/\/127\.0\.0\.1:\d+\/consent\/\S+/.exec(r.stderr)?.[0];
    expect(link, r.stderr).toBeDefined();
    expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+\)/);
  }, 120_000);

  it("after consent, setup completes and ends with both paths verified", async () => {
    expect([200, 302]).toContain(await get(link!.replace(/[.,;)]+$/, ""), w.world.azure.caCert));
    const conn = w.world.azure.state.getResource(
      `${ids(w.world).rg}/providers/Microsoft.Web/connections/elastic-sentinel-azuresentinel`,
    );
    expect((conn?.properties as { statuses?: { status: string }[] } | undefined)?.statuses?.[0]?.status).toBe(
      "Connected",
    );
    const r = await w.run(["setup", "--yes", "--non-interactive"]);
    expect(r.stderr).toContain("Both paths work end to end");
    expect(r.code).toBe(0);
  }, 120_000);

  it("verify passes with the OAuth connection", async () => {
    const r = await w.run(["verify", "--json"]);
    const doc = JSON.parse(r.stdout) as { checks: { id: string; status: string }[] };
    expect(doc.checks.filter((c) => c.status === "fail")).toEqual([]);
    expect(r.code).toBe(0);
  }, 120_000);
});

/**
 * `verify --report FILE.html` against the sandboxes, through the CLI: the page has every hop of the case path
 * and both alert paths with their real timings, the configuration checks, the inputs and versions, and not one
 * secret of the run (the API key, the callback URLs' sig) although they were all in play.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type WorldCli, startWorldCli } from "./world-cli.js";

let w: WorldCli;
beforeAll(async () => {
  w = await startWorldCli();
}, 60_000);
afterAll(async () => {
  await w?.stop();
});

describe("verify --report", () => {
  it("writes one self-contained page of the run, with no secret in it", async () => {
    const setup = await w.run(["setup", "--yes", "--non-interactive", "--no-verify"]);
    expect(setup.code, setup.stderr).toBe(0);
    const file = join(w.configFile, "..", "report.html");
    const r = await w.run(["verify", "--full", "--report", file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Report: ${file}`);
    expect(existsSync(file)).toBe(true);
    const html = readFileSync(file, "utf8");

    for (const id of [
      "case.create",
      "case.incident",
      "case.closed",
      "alerts.workflow",
      "alerts.incident",
      "full.kibana-alert",
      "full.incident",
    ])
      expect(html).toContain(`data-check="${id}"`);
    // Real timings: the hops that wait for Azure took sandbox time, shown per hop.
    expect(html).toMatch(/<span class="status">PASS<\/span><span class="time">\d/);
    expect(html).toContain("Configuration checks");
    expect(html).toContain("<code>elastic.kibanaUrl</code>");
    expect(html).toMatch(/Kibana<\/td><td>\d+\.\d+/);

    const secrets = Object.values(w.world.secretEnv).filter((v) => v.length >= 8);
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(html).not.toContain(secret);
    expect(html).not.toMatch(/[?&]sig=(?!\[REDACTED\])/);
    expect(html).not.toMatch(/<script|<link|\ssrc=/i);
  }, 180_000);

  it("refuses a report in a folder that does not exist before running anything (exit 3)", async () => {
    const r = await w.run(["verify", "--report", "/nonexistent-folder/report.html"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("the folder /nonexistent-folder does not exist");
  });
});

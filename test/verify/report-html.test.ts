/**
 * The `verify --report` page: the paths hop by hop in order with status and timing, the configuration checks,
 * the inputs and versions; nothing it could fetch (CSP default-src 'none', no script, no external asset) and no
 * secret, even when one sits in a check's evidence or the error. Rendered in headless Chromium: it shows the hops.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Check } from "../../src/engine/types.js";
import { REDACTED, clearRegisteredSecrets, registerSecret } from "../../src/redact.js";
import { renderHtmlReport } from "../../src/report/html.js";
import { CHROMIUM, chromium } from "../helpers/chromium.js";
import { tempDir, type TempDir } from "../helpers/config-env.js";
import { countColour, decodePng } from "../helpers/png.js";

const API_KEY = "c2VjcmV0LWFwaS1rZXktZm9yLXRoZS1yZXBvcnQ=";
const SIG = "Zk3Xr9QmN2pL8vT4yW6sH1bC5dE7fG0aJ";
const CALLBACK = `https://127.0.0.1:44321/workflows/abc/triggers/manual/paths/invoke?api-version=2016-10-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${SIG}`;

const checks: Check[] = [
  {
    id: "kibana-case-connector.exists",
    title: "Kibana: case connector elastic-sentinel-cases",
    status: "pass",
    evidence: `posts to ${CALLBACK}`,
  },
  {
    id: "kibana-case-settings.connector",
    title: "Kibana case settings",
    status: "warn",
    cause: "the default connector is Jira",
    remedy: "Choose it per case.",
  },
  { id: "case.create", title: "Kibana: create a test case", status: "pass", durationMs: 140, evidence: "case 9d1e" },
  {
    id: "case.incident",
    title: "Sentinel: incident created with the case's fields",
    status: "pass",
    durationMs: 4_200,
    evidence: "incident 42 https://127.0.0.1:8443/#asset/incident/42",
  },
  {
    id: "case.cleanup",
    title: "Kibana: delete the test case",
    status: "pass",
    durationMs: 90,
    evidence: "case 9d1e deleted",
  },
  {
    id: "alerts.execute",
    title: "Kibana: send a synthetic alert <b>through</b> the connector",
    status: "pass",
    durationMs: 300,
    evidence: "alert se-verify-1",
  },
  {
    id: "alerts.row",
    title: "Log Analytics: the alert's row in ElasticAlerts_CL",
    status: "fail",
    durationMs: 900_000,
    cause: `no row (key ${API_KEY})`,
    remedy: "re-run with a longer --timeout",
  },
  {
    id: "alerts.incident",
    title: "Sentinel: an incident raised by the analytics rule",
    status: "skip",
    evidence: "an earlier hop of this path failed",
  },
];

function page(): string {
  registerSecret(API_KEY);
  return renderHtmlReport({
    command: "verify",
    startedAt: Date.UTC(2026, 0, 2, 3, 4, 5),
    durationMs: 905_000,
    checks,
    inputs: {
      "elastic.kibanaUrl": "https://127.0.0.1:5601",
      "elastic.apiKey": REDACTED,
      "naming.prefix": "elastic-sentinel",
    },
    versions: { "sentinel-elastic": "0.1.0", "Node.js": "v20.20.0", Kibana: "9.2.0" },
    error: { code: "VERIFY_FAILED", message: `1 of 8 checks failed; callback ${CALLBACK}`, exitCode: 6 },
  });
}

afterAll(() => clearRegisteredSecrets());

describe("the report page", () => {
  it("holds no secret: not the API key, not a callback URL's sig, wherever they appeared", () => {
    const html = page();
    expect(html).not.toContain(API_KEY);
    expect(html).not.toContain(SIG);
    expect(html).toContain(REDACTED);
  });

  it("loads nothing: a CSP of default-src 'none', no script, no style sheet, font or image from anywhere", () => {
    const html = page();
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/\ssrc=/i);
  });

  it("draws each path hop by hop, in order, with status and timing; text is escaped, links are links", () => {
    const html = page();
    const order = [...html.matchAll(/data-check="([^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual([
      "case.create",
      "case.incident",
      "case.cleanup",
      "alerts.execute",
      "alerts.row",
      "alerts.incident",
    ]);
    expect(html).toContain("Case path: a Kibana case → a Sentinel incident");
    expect(html).toContain("Alert path, fast");
    expect(html).toMatch(/<span class="status">FAIL<\/span><span class="time">15 min<\/span>/);
    expect(html).toContain("&lt;b&gt;through&lt;/b&gt;");
    expect(html).toContain('<a href="https://127.0.0.1:8443/#asset/incident/42">');
    expect(html).toContain("Configuration checks");
    expect(html).toContain("the default connector is Jira → Choose it per case.");
    expect(html).toContain("<code>naming.prefix</code>");
    expect(html).toContain("Kibana</td><td>9.2.0");
    expect(html).toContain("Exit 6, VERIFY_FAILED");
  });
});

describe("in headless Chromium", () => {
  let dir: TempDir;
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(() => dir.remove());
  // CI installs chromium (.ci/run); a developer without it skips, CI never does.
  const run = CHROMIUM !== undefined || process.env.CI === "true";

  it.runIf(run)(
    "renders the page, and a screenshot shows the hops in their status colours",
    { timeout: 120_000 },
    async () => {
      const file = join(dir.path, "report.html");
      writeFileSync(file, page());
      const dom = await chromium(["--dump-dom", `file://${file}`]);
      expect(dom.code, dom.stderr).toBe(0);
      expect(dom.stdout).toContain('class="hop pass"');
      expect(dom.stdout).toContain("Sentinel: incident created with the case's fields");

      const png = join(dir.path, "report.png");
      const shot = await chromium([`--screenshot=${png}`, "--window-size=1280,1400", `file://${file}`]);
      expect(shot.code, shot.stderr).toBe(0);
      const pixels = decodePng(readFileSync(png));
      expect([pixels.width, pixels.height]).toEqual([1280, 1400]);
      // The hop boxes' backgrounds (html-style.ts): four passing hops, one failed, one skipped.
      const pass = countColour(pixels, "#dafbe1");
      const fail = countColour(pixels, "#ffebe9");
      const skip = countColour(pixels, "#eaeef2");
      expect(pass).toBeGreaterThan(4 * 150 * 40);
      expect(fail).toBeGreaterThan(150 * 40);
      expect(skip).toBeGreaterThan(150 * 40);
      // The header says the run failed, in the failure colour.
      expect(countColour(pixels, "#cf222e")).toBeGreaterThan(1280 * 40);
    },
  );
});

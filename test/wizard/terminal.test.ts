/**
 * The wizard in a real terminal: the BUILT CLI in tmux against the sandboxes, answered with keystrokes, so the
 * real prompt library (input, password, search, confirm) is exercised. A person who knows only the Kibana URL
 * and an API key, with the Azure CLI signed in (the sandbox's fake `az`): a wrong URL is asked again, the space,
 * subscription, resource group and workspace are picked from lists, the plan is declined (nothing changes), and
 * the answers are saved.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, cleanEnv, requireBuiltCli } from "../helpers/built-cli.js";
import { openTerminal, TMUX, type Terminal } from "../helpers/tmux.js";
import { startWizardWorld, WS, type WizardWorld } from "./world.js";

// CI installs tmux (.ci/run); elsewhere the test says why it does not run rather than failing on a missing tool.
const run = TMUX || process.env.CI ? describe : describe.skip;

let world: WizardWorld;
let term: Terminal | undefined;

beforeAll(async () => {
  if (!TMUX && !process.env.CI) return;
  if (!TMUX) throw new Error("tmux is needed for the terminal test: apt-get install -y tmux");
  requireBuiltCli();
  world = await startWizardWorld();
}, 60_000);
afterAll(async () => {
  await term?.close();
  await world?.stop();
});

function script(): string {
  const caFile = join(world.dir, "azure-ca.pem");
  writeFileSync(caFile, world.azure.caCert);
  const az = world.azure.azCliEnv();
  // Not CI (CI=true means non-interactive): a person's shell with the Azure CLI signed in, no Elastic inputs.
  const env = cleanEnv({
    ...world.env,
    PATH: az.PATH!,
    AZURE_SANDBOX_AZ_STATE: az.AZURE_SANDBOX_AZ_STATE!,
    AZURE_CA_CERT: caFile,
    TERM: "xterm-256color",
  });
  const lines = [
    ...Object.entries(env).map(([k, v]) => `export ${k}='${String(v).replace(/'/g, "'\\''")}'`),
    "unset CI",
    `cd '${world.dir}'`,
    `'${process.execPath}' '${BIN}' setup --no-verify`,
    `echo $? > '${join(world.dir, "exit-code")}'`,
    "sleep 600",
  ];
  const file = join(world.dir, "run.sh");
  writeFileSync(file, `${lines.join("\n")}\n`, { mode: 0o700 });
  return file;
}

run("setup in a terminal, answered with keystrokes", () => {
  it("asks section by section, re-asks a wrong URL, picks from lists, and saves the answers", async () => {
    term = await openTerminal(script(), world.dir);
    const t = term;
    await t.waitFor("Elastic (1/4)");
    await t.waitFor("Elastic Cloud ID");
    await t.press("Enter");
    await t.waitFor("Kibana URL");
    await t.type("http://127.0.0.1:1");
    await t.press("Enter");
    await t.waitFor("Elasticsearch URL");
    await t.type(world.elastic.elasticsearchUrl);
    await t.press("Enter");
    await t.waitFor("Elastic API key");
    await t.type(world.elastic.apiKey);
    await t.press("Enter");
    await t.waitFor("Asking for the Kibana URL again.");
    await t.type(world.elastic.kibanaUrl);
    await t.press("Enter");
    // The space list filters as you type.
    await t.waitFor("Kibana space");
    await t.type("so");
    await t.waitFor(/❯ soc/);
    await t.press("Enter");
    await t.waitFor("Azure (2/4)");
    await t.waitFor("Signed in to Azure with the Azure CLI as");
    await t.waitFor(/Sandbox subscription \(current in the Azure CLI\)/);
    await t.press("Enter");
    await t.waitFor("Resource group for the Logic Apps");
    await t.type("rg-sec");
    await t.waitFor(/❯ rg-sec/);
    await t.press("Enter");
    await t.waitFor("Sentinel (3/4)");
    // The workspace without Sentinel is named as not offered; the one with it is the list.
    await t.waitFor("Not offered, because Microsoft Sentinel is not added to them: ws-plain (rg-logs)");
    const list = await t.waitFor(new RegExp(`❯ ${WS}`));
    expect(list.slice(list.lastIndexOf("Sentinel workspace"))).not.toContain("❯ ws-plain");
    await t.press("Enter");
    await t.waitFor("Features (4/4)");
    await t.waitFor("Sync Kibana cases to Sentinel incidents?");
    await t.press("Enter");
    await t.waitFor("Sentinel authorization for the Logic Apps");
    await t.press("Enter");
    await t.waitFor("Forward Elastic alerts to Sentinel?");
    await t.press("Enter");
    await t.waitFor("Detection rule query (KQL)");
    await t.press("Enter");
    await t.waitFor("Also bring Sentinel alerts and incidents into Elastic?");
    await t.press("Enter");
    // The plan, then no: nothing changes, and the answers are still offered for keeping.
    await t.waitFor(/Apply these \d+ changes\?/, 60_000);
    await t.type("n");
    await t.press("Enter");
    await t.waitFor("Save these answers to sentinel-elastic.yaml");
    await t.press("Enter");
    const end = await t.waitFor("sentinel-elastic setup --non-interactive");
    expect(await t.exitCode()).toBe(130);
    expect(end).not.toContain(world.elastic.apiKey);
    const saved = readFileSync(join(world.dir, "sentinel-elastic.yaml"), "utf8");
    expect(saved).toContain("kibanaUrl: ");
    expect(saved).toContain("space: soc");
    expect(saved).toContain("credential: cli");
    expect(saved).toContain(`workspaceName: ${WS}`);
    expect(saved).not.toContain(world.elastic.apiKey);
    expect(world.elastic.state.connectors("soc")).toHaveLength(0);
  }, 120_000);
});

/**
 * The wizard driven through the test host against the sandboxes, as a person at a terminal who knows only the
 * Kibana URL and an API key: wrong answers come back with their reason, Azure answers are picked from lists,
 * a workspace without Sentinel is not offered, Ctrl-C at a prompt stops with exit 130 and nothing changed, and
 * the answers saved at the end are what a non-interactive run needs.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortedError } from "../../src/errors.js";
import type { Question } from "../../src/io/io-host.js";
import { runCliInProcess } from "../helpers/run-cli.js";
import { TestIoHost } from "../helpers/test-io-host.js";
import { OTHER_SUBSCRIPTION, PLAIN_WS, startWizardWorld, WS, WS_RG, type WizardWorld } from "./world.js";

let world: WizardWorld;
beforeAll(async () => {
  world = await startWizardWorld();
}, 60_000);
afterAll(async () => {
  await world?.stop();
});

const runCliWithSignal = (args: string[], io: TestIoHost, signal: AbortSignal) =>
  runCliInProcess(args, {
    env: world.env,
    cwd: world.newDir(),
    io,
    signal,
    overrides: { azureCredential: world.azure.credential, azureCaCerts: [world.azure.caCert] },
  });
const asked = (io: TestIoHost, code: string) => io.asked.filter((q) => q.code === code);
const choicesOf = (q: Question | undefined) => (q && "choices" in q ? q.choices : []);
const texts = (io: TestIoHost) => io.messages.map((m) => m.text);

describe("a whole setup through the wizard, then the saved answers in CI", () => {
  let io: TestIoHost;
  let code: number;
  let stderr: string;

  beforeAll(async () => {
    io = new TestIoHost({
      interactive: true,
      answers: {
        "input.elastic.cloudId": "",
        // A Kibana that refuses connections first: asked again with the reason.
        "input.elastic.kibanaUrl": ["http://127.0.0.1:1", world.elastic.kibanaUrl],
        "input.elastic.elasticsearchUrl": world.elastic.elasticsearchUrl,
        // Then a key Kibana does not accept: asked again.
        "input.elastic.apiKey": ["bm90LWEta2V5Om5vcGU=", world.elastic.apiKey],
        "input.elastic.space": "soc",
        "input.azure.subscriptionId": world.azure.subscriptionId,
        "input.azure.resourceGroup": "(new)",
        "wizard.newResourceGroup": "rg-logic-new",
        "input.azure.location": "westeurope",
        "input.sentinel.workspaceName": `${WS_RG}/${WS}`,
        "input.features.caseSync": true,
        "input.sentinel.authorization": "managed-identity",
        "input.features.alertForwarding": true,
        "input.rule.query": "message:malware",
        "input.features.sentinelToElastic": false,
        "azure.createResourceGroup": true,
        "confirm.apply": true,
        "wizard.saveConfig": true,
      },
    });
    const run = await world.run(["setup", "--no-verify"], io);
    code = run.code;
    stderr = run.stderr;
  }, 180_000);

  it("finishes the setup (exit 0)", () => {
    expect(code, `${stderr}\n${texts(io).join("\n")}`).toBe(0);
    expect(world.azure.state.resourceGroup("rg-logic-new")?.location).toBe("westeurope");
  });

  it("shows a header per section, numbered", () => {
    const headers = texts(io).filter((t) => /\(\d\/4\)$/.test(t));
    expect(headers).toEqual(["Elastic (1/4)", "Azure (2/4)", "Sentinel (3/4)", "Features (4/4)"]);
  });

  it("asks the Kibana URL again after the one that refused connections, saying why", () => {
    expect(asked(io, "input.elastic.kibanaUrl")).toHaveLength(2);
    expect(texts(io).join("\n")).toMatch(/127\.0\.0\.1:1[\s\S]*Asking for the Kibana URL again/);
    // The Cloud ID is offered once, not again with every retry.
    expect(asked(io, "input.elastic.cloudId")).toHaveLength(1);
  });

  it("asks the API key again after Kibana refused it, never showing it", () => {
    expect(asked(io, "input.elastic.apiKey")).toHaveLength(2);
    expect(texts(io).join("\n")).toMatch(/credentials[\s\S]*Asking for the credentials again/);
    expect(io.allText()).not.toContain(world.elastic.apiKey);
  });

  it("every question says in one line why it is asked", () => {
    const wizardQuestions = io.asked.filter((q) => q.code.startsWith("input.") || q.code.startsWith("wizard."));
    for (const q of wizardQuestions) expect(q.why, q.code).toMatch(/\S/);
    for (const q of wizardQuestions) expect(q.why, q.code).not.toContain("\n");
  });

  it("offers the spaces the key can see", () => {
    expect(choicesOf(asked(io, "input.elastic.space")[0]).map((c) => c.value)).toEqual(["default", "soc"]);
  });

  it("offers the subscriptions by name, the other one included, and the pick is used", () => {
    const choices = choicesOf(asked(io, "input.azure.subscriptionId")[0]);
    expect(choices.map((c) => [c.value, c.name])).toEqual(
      expect.arrayContaining([
        [world.azure.subscriptionId, "Sandbox subscription"],
        [OTHER_SUBSCRIPTION.subscriptionId, OTHER_SUBSCRIPTION.displayName],
      ]),
    );
    expect(asked(io, "input.azure.subscriptionId")[0]?.kind).toBe("search");
  });

  it("offers the resource groups with 'create new', and a region list for the new one", () => {
    const groups = choicesOf(asked(io, "input.azure.resourceGroup")[0]).map((c) => c.value);
    expect(groups).toEqual(["(new)", "rg-logs", WS_RG]);
    const regions = choicesOf(asked(io, "input.azure.location")[0]).map((c) => c.value);
    expect(regions).toContain("westeurope");
    expect(regions.length).toBeGreaterThan(20);
  });

  it("offers only the workspace with Sentinel, with its resource group, and says why the other is missing", () => {
    const q = asked(io, "input.sentinel.workspaceName")[0];
    expect(choicesOf(q).map((c) => c.name)).toEqual([WS]);
    expect(choicesOf(q)[0]?.description).toContain(WS_RG);
    expect(texts(io).join("\n")).toContain(`${PLAIN_WS} (rg-logs)`);
    // The workspace's resource group came with the workspace.
    expect(asked(io, "input.sentinel.resourceGroup")).toHaveLength(0);
  });

  it("saves the answers without secrets, and says the next command", () => {
    const file = readFileSync(join(world.dir, "sentinel-elastic.yaml"), "utf8");
    expect(file).toContain(`apiKey: ${"$"}{ELASTIC_API_KEY}`);
    expect(file).not.toContain(world.elastic.apiKey);
    expect(file).toContain("workspaceName: ws-sentinel");
    expect(file).toContain("resourceGroup: rg-logic-new");
    expect(texts(io).join("\n")).toContain("sentinel-elastic setup --non-interactive");
  });

  it("a non-interactive run with the saved file and the key in the environment asks nothing and changes nothing", async () => {
    const again = await world.run(["setup", "--non-interactive", "--no-verify"], undefined, {
      ELASTIC_API_KEY: world.elastic.apiKey,
    });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("Everything is already in place.");
    expect(again.stdout).toMatch(/rg-logic-new\s+no-op/);
  }, 120_000);
});

describe("Ctrl-C at a prompt", () => {
  it("exits 130 and nothing is changed or saved", async () => {
    const io = new TestIoHost({
      interactive: true,
      answers: {
        "input.elastic.cloudId": "",
        "input.elastic.kibanaUrl": world.elastic.kibanaUrl,
        "input.elastic.elasticsearchUrl": world.elastic.elasticsearchUrl,
        "input.elastic.apiKey": world.elastic.apiKey,
        "input.elastic.space": "default",
        "input.azure.subscriptionId": new AbortedError("Aborted at the prompt."),
      },
    });
    const connectorsBefore = world.elastic.state.connectors("default").length;
    const resourcesBefore = world.azure.state.list().length;
    const dir = world.newDir();
    const run = await world.run(["setup"], io, {}, dir);
    expect(run.code, run.stderr).toBe(130);
    expect(world.azure.state.list().length).toBe(resourcesBefore);
    expect(world.elastic.state.connectors("default").length).toBe(connectorsBefore);
    expect(existsSync(join(dir, "sentinel-elastic.yaml"))).toBe(false);
    expect(asked(io, "wizard.saveConfig")).toHaveLength(0);
  }, 60_000);
});

describe("Ctrl-C while a check runs (between prompts)", () => {
  it("asks nothing more: exit 130, nothing changed", async () => {
    const controller = new AbortController();
    // The person presses Ctrl-C right after typing the key, while Kibana is being checked.
    class CtrlCAfterKey extends TestIoHost {
      override async ask<Q extends Question>(question: Q) {
        const answer = await super.ask(question);
        if (question.code === "input.elastic.apiKey") controller.abort();
        return answer;
      }
    }
    const io = new CtrlCAfterKey({
      interactive: true,
      answers: {
        "input.elastic.cloudId": "",
        "input.elastic.kibanaUrl": world.elastic.kibanaUrl,
        "input.elastic.elasticsearchUrl": world.elastic.elasticsearchUrl,
        "input.elastic.apiKey": world.elastic.apiKey,
      },
    });
    const resourcesBefore = world.azure.state.list().length;
    const run = await runCliWithSignal(["setup"], io, controller.signal);
    expect(run.code, run.stderr).toBe(130);
    expect(io.asked.map((q) => q.code)).not.toContain("input.elastic.space");
    expect(world.azure.state.list().length).toBe(resourcesBefore);
  }, 60_000);
});

describe("without a terminal", () => {
  it("never lists or asks: it fails at once, listing every missing input", async () => {
    const run = await world.run(["setup"], undefined, {}, world.newDir());
    expect(run.code).toBe(3);
    for (const key of [
      "elastic.kibanaUrl",
      "elastic.elasticsearchUrl",
      "elastic.apiKey",
      "azure.subscriptionId",
      "azure.resourceGroup",
      "sentinel.workspaceName",
    ])
      expect(run.stderr).toContain(key);
    expect(run.stderr).not.toContain("Elastic (1/4)");
  });
});

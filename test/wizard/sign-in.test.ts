/**
 * Azure sign-in in the wizard: it says which credential it found and as whom; when none works it says why and
 * offers the others, and a choice that works after all (the person ran `az login` in another shell) is kept.
 * The Azure CLI here is the sandbox's fake `az`; no test reaches a real login endpoint (PATH holds no other az).
 */
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Answer, Question } from "../../src/io/io-host.js";
import { type AzureSandbox, startAzureSandbox } from "../../src/sandbox/azure/index.js";
import { signIn } from "../../src/wizard/azure-signin.js";
import { WizardState } from "../../src/wizard/state.js";
import { TestIoHost, type TestIoHostOptions } from "../helpers/test-io-host.js";

let sb: AzureSandbox;
const saved = { PATH: process.env.PATH, AZURE_SANDBOX_AZ_STATE: process.env.AZURE_SANDBOX_AZ_STATE };
// A PATH with only `node` on it (the fake az is a node script): no `az` at all, not even a real one, until the
// test "installs and signs in" the fake one.
const nodeOnly = mkdtempSync(join(tmpdir(), "se-node-only-"));
symlinkSync(process.execPath, join(nodeOnly, "node"));
const noAz = nodeOnly;

beforeAll(async () => {
  sb = await startAzureSandbox({ resourceGroups: [{ name: "rg", location: "westeurope" }] });
});
afterAll(async () => {
  await sb?.stop();
});
afterEach(() => {
  process.env.PATH = saved.PATH;
  if (saved.AZURE_SANDBOX_AZ_STATE === undefined) delete process.env.AZURE_SANDBOX_AZ_STATE;
  else process.env.AZURE_SANDBOX_AZ_STATE = saved.AZURE_SANDBOX_AZ_STATE;
});

function state(io: TestIoHost, extra: { credential?: boolean } = {}) {
  const values: Record<string, unknown> = {
    "azure.cloud": "AzureCloud",
    "azure.endpoints.resourceManager": sb.endpoints.resourceManager,
  };
  return new WizardState(
    values,
    { "azure.cloud": "default", "azure.endpoints.resourceManager": "env" },
    {
      io,
      env: {},
      cwd: mkdtempSync(join(tmpdir(), "se-signin-")),
      overrides: { azureCaCerts: [sb.caCert], ...(extra.credential ? { azureCredential: sb.credential } : {}) },
    },
  );
}

/** A person who, when asked how to sign in, runs `az login` in another shell first. */
class LoginWhenAsked extends TestIoHost {
  constructor(options: TestIoHostOptions) {
    super(options);
  }
  override ask<Q extends Question>(question: Q): Promise<Answer<Q>> {
    if (question.code === "input.azure.credential") {
      const az = sb.azCliEnv();
      process.env.PATH = `${az.PATH!.split(delimiter)[0]}${delimiter}${noAz}`;
      process.env.AZURE_SANDBOX_AZ_STATE = az.AZURE_SANDBOX_AZ_STATE;
    }
    return super.ask(question);
  }
}

describe("Azure sign-in", () => {
  it("names the credential the caller supplied and who it is", async () => {
    const io = new TestIoHost({ interactive: true });
    const session = await signIn(state(io, { credential: true }));
    expect(session.kind).toBe("the credential supplied by the caller");
    expect(io.messages.map((m) => m.text)).toContain(
      "Signed in to Azure with the credential supplied by the caller as deployer@sandbox.onmicrosoft.com.",
    );
    expect(io.asked).toHaveLength(0);
  });

  it("finds the Azure CLI when it is signed in, and keeps it as azure.credential", async () => {
    const az = sb.azCliEnv();
    process.env.PATH = `${az.PATH!.split(delimiter)[0]}${delimiter}${noAz}`;
    process.env.AZURE_SANDBOX_AZ_STATE = az.AZURE_SANDBOX_AZ_STATE;
    const io = new TestIoHost({ interactive: true });
    const s = state(io);
    const session = await signIn(s);
    expect(session.kind).toBe("the Azure CLI");
    expect(s.get("azure.credential")).toBe("cli");
    expect((await session.lists.subscriptions()).map((x) => x.subscriptionId)).toEqual([sb.subscriptionId]);
  });

  it("when nothing works, says why and offers the other ways; the one chosen after `az login` is used", async () => {
    process.env.PATH = noAz;
    delete process.env.AZURE_SANDBOX_AZ_STATE;
    const io = new LoginWhenAsked({ interactive: true, answers: { "input.azure.credential": ["cli"] } });
    const s = state(io);
    const session = await signIn(s);
    const warning = io.messages.find((m) => m.level === "warn")?.text ?? "";
    expect(warning).toMatch(/^No Azure sign-in worked:\n {2}- cli: /);
    const offered = io.asked.find((q) => q.code === "input.azure.credential");
    expect(offered && "choices" in offered ? offered.choices.map((c) => c.value) : []).toEqual([
      "cli",
      "device-code",
      "browser",
      "environment",
      "managed-identity",
    ]);
    expect(offered?.why).toMatch(/\S/);
    expect(session.kind).toBe("the Azure CLI");
    expect(s.get("azure.credential")).toBe("cli");
  });
});

/**
 * The saved answers: the non-secret inputs of the run, secrets as ${ENV} references, no defaults, no empty
 * sections, nothing of the way back when it is off; and the file reads back to the same configuration.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/load.js";
import { clearRegisteredSecrets } from "../../src/redact.js";
import { answersToKeep, configFileText, offerToSave } from "../../src/wizard/save.js";
import { tempDir, type TempDir, VALID_ENV } from "../helpers/config-env.js";
import { TestIoHost } from "../helpers/test-io-host.js";

let dir: TempDir;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  dir.remove();
  clearRegisteredSecrets();
});

const load = (env: Record<string, string>) =>
  resolveConfig({ env, cwd: dir.path, io: new TestIoHost({ interactive: false }) });

describe("the answers kept for the next run", () => {
  it("keeps what was given, secrets as references, and leaves defaults and the way back's inputs out", async () => {
    const loaded = await load({ ...VALID_ENV, SENTINEL_TO_ELASTIC_CLIENT_SECRET: "way-back-secret-77" });
    const { values, secretEnv } = answersToKeep(loaded);
    expect(values["elastic.apiKey"]).toBe(`${"$"}{ELASTIC_API_KEY}`);
    expect(values["azure.resourceGroup"]).toBe("rg-soc");
    expect(values["elastic.space"]).toBeUndefined();
    expect(values["sentinelToElastic.clientSecret"]).toBeUndefined();
    expect(secretEnv).toEqual(["ELASTIC_API_KEY"]);
    const text = configFileText(values, secretEnv);
    expect(text).not.toContain("test-api-key-value-1234");
    expect(text).not.toMatch(/: \{\}/);
  });

  it("writes the file when the person says yes, and it reads back to the same inputs", async () => {
    const first = await load({ ...VALID_ENV });
    const io = new TestIoHost({ interactive: true, answers: { "wizard.saveConfig": true } });
    await offerToSave(io, dir.path, first);
    const text = readFileSync(join(dir.path, "sentinel-elastic.yaml"), "utf8");
    expect(text).toContain("# Secrets are not in this file: set ELASTIC_API_KEY");
    const again = await load({ ELASTIC_API_KEY: VALID_ENV.ELASTIC_API_KEY! });
    expect(again.config).toEqual(first.config);
    expect(io.messages.map((m) => m.text).join("\n")).toContain("sentinel-elastic setup --non-interactive");
  });

  it("an existing file is replaced only when the person says so (the default is no)", async () => {
    dir.write("sentinel-elastic.yaml", "# mine\n");
    const loaded = await load({ ...VALID_ENV });
    const io = new TestIoHost({ interactive: true, answers: { "wizard.saveConfig": false } });
    await offerToSave(io, dir.path, loaded);
    expect(readFileSync(join(dir.path, "sentinel-elastic.yaml"), "utf8")).toBe("# mine\n");
    expect(io.asked[0]).toMatchObject({ kind: "confirm", default: false });
  });
});

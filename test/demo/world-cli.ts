/**
 * Run our CLI in-process against the demo world (both sandboxes on one fast clock), the way a user's second
 * shell would after `demo --keep`: a config file with the sandbox endpoints, the API key from the environment,
 * the sandbox's credential and CA handed over as client overrides.
 */
import { request } from "node:https";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { DEMO, type DemoWorld, startDemoWorld } from "../../src/demo/sandboxes.js";
import { demoClock, nest } from "../../src/demo/run-demo.js";
import { type CliRun, runCliInProcess } from "../helpers/run-cli.js";

export interface WorldCli {
  world: DemoWorld;
  configFile: string;
  run(args: string[], extra?: Record<string, unknown>): Promise<CliRun>;
  /** An ARM call as the deploying principal (what a person in the portal would do). */
  arm(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

export async function startWorldCli(inputs: Record<string, unknown> = {}): Promise<WorldCli> {
  const world = await startDemoWorld();
  const dir = mkdtempSync(join(tmpdir(), "se-world-"));
  const configFile = join(dir, "sentinel-elastic.yaml");
  writeFileSync(configFile, stringify(nest({ ...world.inputs, ...inputs })));
  const arm = async (method: string, path: string, body?: unknown) => {
    const token = await world.azure.credential.getToken("https://management.azure.com/.default");
    const url = new URL(path, world.azure.endpoints.resourceManager);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          ca: world.azure.caCert,
          headers: { authorization: `Bearer ${token!.token}`, "content-type": "application/json" },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8").on("data", (c: string) => {
            text += c;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  };
  return {
    world,
    configFile,
    arm,
    run: (args) =>
      runCliInProcess([...args, "--config", configFile], {
        env: { ...world.secretEnv, CI: "true", NO_COLOR: "1" },
        cwd: dir,
        overrides: { azureCredential: world.azure.credential, azureCaCerts: [world.azure.caCert] },
        clock: demoClock(world, DEMO.speed),
      }),
    stop: () => world.stop(),
  };
}

export const ids = (world: DemoWorld, prefix = "elastic-sentinel") => {
  const rg = `/subscriptions/${world.azure.subscriptionId}/resourceGroups/${DEMO.resourceGroup}`;
  const ws = `${rg}/providers/Microsoft.OperationalInsights/workspaces/${DEMO.workspace}`;
  return {
    rg,
    ws,
    workflow: (name: string) => `${rg}/providers/Microsoft.Logic/workflows/${prefix}-${name}`,
    dcr: `${rg}/providers/Microsoft.Insights/dataCollectionRules/${prefix}-alerts-dcr`,
    table: `${ws}/tables/ElasticAlerts_CL`,
  };
};

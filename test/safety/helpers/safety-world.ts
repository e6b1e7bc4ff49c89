/**
 * A sandbox world for the safety tests: the Kibana/Elasticsearch and Azure sandboxes on one scaled clock, with
 * the sandbox options a test needs (an old Kibana, a basic licence, a workspace without Sentinel, a resource group
 * in another region, faults), and our CLI run in-process against them with a config file, as a user's shell would.
 * Also: a snapshot of every remote object (to prove a bad input changed nothing) and counts of what setup creates.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { createClock } from "../../../src/sandbox/common/clock.js";
import type { FaultOptions } from "../../../src/sandbox/common/faults.js";
import { startAzureSandbox } from "../../../src/sandbox/azure/index.js";
import { startElasticSandbox } from "../../../src/sandbox/elastic/index.js";
import type { LicenseType } from "../../../src/sandbox/elastic/index.js";
import { demoClock, nest } from "../../../src/demo/run-demo.js";
import { startSentinelAgent } from "../../../src/demo/sandboxes.js";
import { type CliRun, runCliInProcess } from "../../helpers/run-cli.js";

export const RG = "rg-soc";
export const WS = "soc-ws";
export const LOCATION = "westeurope";
/** A second resource group, in another region, and a workspace without Sentinel. */
export const RG_EAST = "rg-east";
export const WS_PLAIN = "plain-ws";

export interface SafetyWorldOptions {
  speed?: number;
  kibanaVersion?: string;
  license?: LicenseType;
  deployerRoles?: string[];
  faults?: FaultOptions;
  roleAssignmentDelayMs?: number;
  /**
   * The way back (Sentinel → Elastic): an app registration with this client secret in the Azure sandbox, Fleet
   * set up, Graph pointed at the sandbox, features.sentinelToElastic on (agentless), and the demo's stand-in agent.
   */
  wayBack?: { clientSecret: string };
}

export type Azure = Awaited<ReturnType<typeof startAzureSandbox>>;
export type Elastic = Awaited<ReturnType<typeof startElasticSandbox>>;

export interface RunOptions {
  /** Config-file inputs by dotted key (merged over the world's); `null` removes one. */
  inputs?: Record<string, unknown>;
  /** Env vars (merged over the world's secret env); `null`-ish values removed by passing undefined. */
  env?: Record<string, string | undefined>;
  /** Raw config file text instead of the generated YAML (and its name). */
  configText?: { name: string; text: string };
  /** Pass no --config at all. */
  noConfig?: boolean;
}

export interface SafetyWorld {
  azure: Azure;
  elastic: Elastic;
  speed: number;
  inputs: Record<string, unknown>;
  secretEnv: Record<string, string>;
  dir: string;
  run(args: string[], options?: RunOptions): Promise<CliRun>;
  configArgs(options?: RunOptions): string[];
  runEnv(options?: RunOptions): Record<string, string>;
  /** Every remote object, as text: equal before and after = nothing changed remotely. */
  snapshot(): string;
  counts(prefix?: string): Counts;
  /** An ARM call as the deploying principal (what a person in the portal would do). */
  arm(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

export interface Counts {
  connectors: Record<string, number>;
  rules: Record<string, number>;
  caseConfigurations: number;
  workflows: Record<string, number>;
  dcrs: number;
  alertRules: number;
  roleAssignments: number;
  /** Assignments whose principal no longer exists (a deleted workflow's identity): what Azure shows as "Unknown". */
  orphanRoleAssignments: number;
  deployments: number;
}

/** A detection rule's rule_id, from the alerting API's view (params.ruleId) or the detection API's (rule_id). */
export const ruleIdOf = (r: unknown): string => {
  const x = r as { rule_id?: string; params?: { ruleId?: string } };
  return String(x.rule_id ?? x.params?.ruleId ?? "");
};

const tally = (names: string[]) =>
  names.reduce<Record<string, number>>((o, n) => {
    o[n] = (o[n] ?? 0) + 1;
    return o;
  }, {});

export async function startSafetyWorld(options: SafetyWorldOptions = {}): Promise<SafetyWorld> {
  const speed = options.speed ?? 120;
  const clock = createClock({ mode: "scaled", speed });
  const app = options.wayBack
    ? {
        appId: "6f1e8a52-3b7c-4d0e-9a41-2c5d7e9f0b13",
        displayName: "sentinel-elastic integration",
        clientSecret: options.wayBack.clientSecret,
      }
    : undefined;
  const azure = await startAzureSandbox({
    clock,
    resourceGroups: [
      { name: RG, location: LOCATION },
      { name: RG_EAST, location: "eastus" },
    ],
    workspaces: [
      { name: WS, resourceGroup: RG, location: LOCATION, sentinel: true },
      { name: WS_PLAIN, resourceGroup: RG, location: LOCATION, sentinel: false },
    ],
    deployerRoles: options.deployerRoles,
    roleAssignmentDelayMs: options.roleAssignmentDelayMs ?? 60_000,
    faults: options.faults,
    servicePrincipals: app ? [app] : undefined,
  });
  let elastic: Elastic;
  try {
    elastic = await startElasticSandbox({
      clock,
      kibanaVersion: options.kibanaVersion ?? "9.2.0",
      license: options.license ?? "platinum",
      extraCaCerts: [azure.caCert],
      faults: options.faults,
      ...(app ? { fleet: {} } : {}),
    });
  } catch (error) {
    await azure.stop();
    clock.stop();
    throw error;
  }
  const dir = mkdtempSync(join(tmpdir(), "se-safety-"));
  const inputs: Record<string, unknown> = {
    "elastic.kibanaUrl": elastic.kibanaUrl,
    "elastic.elasticsearchUrl": elastic.elasticsearchUrl,
    "elastic.space": "default",
    "azure.tenantId": azure.tenantId,
    "azure.subscriptionId": azure.subscriptionId,
    "azure.resourceGroup": RG,
    "azure.location": LOCATION,
    "azure.endpoints.resourceManager": azure.endpoints.resourceManager,
    "azure.endpoints.logAnalytics": azure.endpoints.logAnalytics,
    "azure.endpoints.portal": azure.endpoints.portal,
    "sentinel.workspaceName": WS,
    "sentinel.resourceGroup": RG,
  };
  if (app) {
    Object.assign(inputs, {
      "azure.endpoints.graph": azure.endpoints.graph,
      "azure.endpoints.login": azure.endpoints.login,
      "features.sentinelToElastic": true,
      "sentinelToElastic.clientId": app.appId,
      "sentinelToElastic.agentPolicyId": "agentless",
    });
  }
  const stopAgent = app ? startSentinelAgent({ azure, elastic, clock }) : () => {};
  const secretEnv: Record<string, string> = { ELASTIC_API_KEY: elastic.apiKey };
  if (app) secretEnv.SENTINEL_TO_ELASTIC_CLIENT_SECRET = app.clientSecret;
  let runs = 0;

  /** Writes the run's config file; returns the `--config FILE` arguments (none with `noConfig`). */
  const configArgs = (o: RunOptions = {}): string[] => {
    runs++;
    if (o.noConfig) return [];
    const merged: Record<string, unknown> = { ...inputs };
    for (const [k, v] of Object.entries(o.inputs ?? {})) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    const name = o.configText?.name ?? "sentinel-elastic.yaml";
    const text = o.configText?.text ?? stringify(nest(merged));
    const file = join(dir, `${runs}-${name}`);
    writeFileSync(file, text);
    return ["--config", file];
  };

  /** The run's environment: the world's secrets, CI=true, NO_COLOR, then the overrides (undefined removes). */
  const runEnv = (o: RunOptions = {}): Record<string, string> => {
    const env: Record<string, string> = { ...secretEnv, CI: "true", NO_COLOR: "1" };
    for (const [k, v] of Object.entries(o.env ?? {})) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    return env;
  };

  const run = (args: string[], o: RunOptions = {}) =>
    runCliInProcess([...args, ...configArgs(o)], {
      env: runEnv(o),
      cwd: dir,
      overrides: { azureCredential: azure.credential, azureCaCerts: [azure.caCert] },
      clock: demoClock({ clock }, speed),
    });

  const snapshot = () => {
    const s = elastic.state;
    const kibana = s.spaces().map((space) => ({
      space,
      connectors: s.connectors(space),
      rules: s.rules(space),
      caseConfigurations: s.caseConfigurations(space),
    }));
    const resources = azure.state
      .list()
      .map((r) => JSON.stringify(r))
      .sort();
    const roleAssignments = azure.state.roleAssignments.map((r) => r.id).sort();
    return JSON.stringify({ kibana, resources, roleAssignments });
  };

  const counts = (prefix = "elastic-sentinel"): Counts => {
    const s = elastic.state;
    // In the configured resource group only: a look-alike elsewhere is not ours.
    const list = (type: string) => azure.state.list(type, azure.state.resourceGroupId(RG));
    return {
      connectors: tally(
        s
          .connectors()
          .map((c) => c.id)
          .filter((id) => id.startsWith(prefix)),
      ),
      rules: tally(
        s
          .rules()
          .map((r) => ruleIdOf(r))
          .filter((id) => id.startsWith(prefix)),
      ),
      caseConfigurations: s.caseConfigurations().length,
      workflows: tally(
        list("Microsoft.Logic/workflows")
          .map((r) => r.name)
          .filter((n) => n.startsWith(`${prefix}-`)),
      ),
      dcrs: list("Microsoft.Insights/dataCollectionRules").filter((r) => r.name.startsWith(`${prefix}-`)).length,
      alertRules: azure.state
        .listAlertRules()
        .filter((r) => String((r.properties as { displayName?: string }).displayName ?? "").includes(`(${prefix})`))
        .length,
      // Assignments held by the managed identities of our workflows.
      roleAssignments: azure.state.roleAssignments.filter((r) =>
        String(azure.state.principals.get(r.principalId)?.managedIdentityOf ?? "")
          .toLowerCase()
          .includes(`/workflows/${prefix}-`),
      ).length,
      orphanRoleAssignments: azure.state.roleAssignments.filter((r) => !azure.state.principals.has(r.principalId))
        .length,
      deployments: list("Microsoft.Resources/deployments").length,
    };
  };

  const arm = async (method: string, path: string, body?: unknown) => {
    const token = await azure.credential.getToken("https://management.azure.com/.default");
    const url = new URL(path, azure.endpoints.resourceManager);
    return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          ca: azure.caCert,
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
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  };

  return {
    azure,
    elastic,
    speed,
    arm,
    inputs,
    secretEnv,
    dir,
    run,
    configArgs,
    runEnv,
    snapshot,
    counts,
    async stop() {
      stopAgent();
      await Promise.allSettled([elastic.stop(), azure.stop()]);
      clock.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

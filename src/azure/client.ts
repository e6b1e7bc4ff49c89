/**
 * The Azure clients, created once per run by `ctx.clients.azure()` (engine/clients.ts imports this module
 * lazily). One HTTP pipeline per audience, all trusting `azure.caCertFile` plus `overrides.azureCaCerts`;
 * tokens are requested for the cloud's audience, never `${endpoint}/.default`, so overridden endpoints
 * (a proxy, the sandbox) still get the right tokens.
 */
import { readFile } from "node:fs/promises";
import type { TokenCredential } from "@azure/identity";
import type { ResolvedConfig } from "../config/schema.js";
import type { ClientOverrides } from "../engine/client-options.js";
import { InputError } from "../errors.js";
import { type ArmApi, createArmApi } from "./arm.js";
import { type AzureCloud, resolveCloud, scopeFor } from "./cloud.js";
import { principalFromToken, selectCredential } from "./credential.js";
import { createDeploymentsApi, type DeploymentsApi } from "./deployments.js";
import { createLogicAppCaller, type LogicAppCaller } from "./logic-app-http.js";
import { createRoleAssignmentsApi, type RoleAssignmentsApi } from "./role-assignments.js";
import { createHttpClient, credentialError, type HttpClient, tlsOptionsFor } from "./pipeline.js";

export interface AzurePrincipal {
  name?: string;
  objectId?: string;
  tenantId?: string;
}

export interface AzureClients {
  cloud: AzureCloud;
  subscriptionId: string;
  credential: TokenCredential;
  /** "the Azure CLI", "environment variables…", "the credential supplied by the caller". */
  credentialKind: string;
  arm: ArmApi;
  deployments: DeploymentsApi;
  /** Calls our workflows' callback URLs (no Azure token: the URL's `sig` is the credential). */
  logicApps: LogicAppCaller;
  /** Role assignments and service-principal lookup (the way back). */
  roleAssignments: Required<RoleAssignmentsApi>;
  /** Authenticated Resource Manager HTTP client, for the calls verify makes (incidents, runs). */
  http: HttpClient;
  /** Authenticated Microsoft Graph client (undefined when the cloud has no Graph endpoint we may call). */
  graph?: HttpClient;
  /** Authenticated Log Analytics query client (token audience: the cloud's Log Analytics audience). */
  logs: HttpClient;
  /** Gets an ARM token (proving the credential works) and reads who it belongs to. */
  whoAmI(): Promise<AzurePrincipal>;
}

export async function createAzureClients(
  config: ResolvedConfig,
  overrides: ClientOverrides = {},
): Promise<AzureClients> {
  const subscriptionId = config.azure.subscriptionId;
  if (!subscriptionId) {
    throw new InputError("azure.subscriptionId is not set", {
      code: "INPUT_MISSING",
      suggestion: "Set --azure-subscription-id, AZURE_SUBSCRIPTION_ID or azure.subscriptionId in the config file.",
      problems: [{ key: "azure.subscriptionId", message: "required for the Azure side" }],
    });
  }
  const cloud = resolveCloud(config.azure);
  const cas = [...(overrides.azureCaCerts ?? [])];
  if (config.azure.caCertFile) {
    try {
      cas.push(await readFile(config.azure.caCertFile, "utf8"));
    } catch (e) {
      throw new InputError(`cannot read azure.caCertFile ${config.azure.caCertFile}: ${(e as Error).message}`, {
        code: "INPUT_INVALID",
        suggestion: "Point azure.caCertFile at a readable PEM file.",
        problems: [{ key: "azure.caCertFile", message: "file not readable" }],
      });
    }
  }
  const tls = tlsOptionsFor(cas);
  const { credential, kind } = await selectCredential(config.azure, cloud, tls, overrides.azureCredential);
  const armScope = scopeFor(cloud.resourceManagerAudience);
  const { sleep } = overrides;
  const armHttp = await createHttpClient({ credential, scope: armScope, tls, onHttp: overrides.onHttp, sleep });
  const plainHttp = await createHttpClient({ tls, onHttp: overrides.onHttp, remote: "logic-app", sleep });
  const graphHttp = cloud.graph
    ? await createHttpClient({
        credential,
        scope: scopeFor(cloud.graphAudience),
        tls,
        onHttp: overrides.onHttp,
        sleep,
      })
    : undefined;
  const arm = createArmApi(armHttp, cloud.resourceManager, subscriptionId);
  const logsHttp = await createHttpClient({
    credential,
    scope: scopeFor(cloud.logAnalyticsAudience),
    tls,
    onHttp: overrides.onHttp,
    sleep,
  });
  const deployments = await createDeploymentsApi({
    credential,
    subscriptionId,
    resourceManager: cloud.resourceManager,
    scope: armScope,
    tls,
    onHttp: overrides.onHttp,
    sleep,
  });
  return {
    cloud,
    subscriptionId,
    credential,
    credentialKind: kind,
    arm,
    roleAssignments: createRoleAssignmentsApi(arm, armHttp, graphHttp, cloud.graph),
    deployments,
    logicApps: createLogicAppCaller(plainHttp),
    http: armHttp,
    graph: graphHttp,
    logs: logsHttp,
    async whoAmI() {
      try {
        const token = await credential.getToken(armScope);
        if (!token) throw new Error("the credential returned no token");
        return principalFromToken(token.token);
      } catch (e) {
        throw credentialError(e as Error, `signing in with ${kind}`);
      }
    },
  };
}

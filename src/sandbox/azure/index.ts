/**
 * The local Azure: Resource Manager, identity, Sentinel, Log Analytics and Logic Apps on HTTPS
 * servers at 127.0.0.1, enforcing what Azure enforces. See README.md next to this file.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TokenCredential } from "@azure/core-auth";
import { createClock, type SandboxClock } from "../common/clock.js";
import { createFaultInjector, type FaultInjector, type FaultOptions } from "../common/faults.js";
import { createRouter } from "../common/router.js";
import { within } from "../common/within.js";
import { callerFromRequest, createArmRouter, errorResponse, authenticate } from "./arm/router.js";
import { createDeploymentsApi } from "./arm/deployments-api.js";
import { environmentOf } from "./arm/environment.js";
import { KNOWN_PROVIDERS } from "./arm/subscription-api.js";
import { generateCerts } from "./certs.js";
import { AppRoleStore } from "./defender/app-roles.js";
import { DefenderWorld } from "./defender/world.js";
import { createGraphRouter } from "./graph.js";
import { createDataPlane, type DataPlane, mountIngestionApi, mountQueryApi } from "./data/index.js";
import { createStateHost } from "./data/state-host.js";
import { createLoginRouter, createLogicAppsRouter, createPortalRouter } from "./endpoints.js";
import { createLogicRuntime, type LogicRuntime } from "./logic/index.js";
import { createLogicHost } from "./logic-host.js";
import type { ArmEnv } from "./resources/types.js";
import { seedTenant } from "./seed.js";
import { listen } from "./servers.js";
import { type AppRegistration, AzureState } from "./state.js";
import { AUDIENCES, sandboxCredential, TokenIssuer } from "./tokens.js";

export { AzureState } from "./state.js";
export type {
  AppRegistration,
  ArmResource,
  IncidentRecord,
  Principal,
  RoleAssignment,
  StoredResource,
} from "./state.js";
export { GRAPH_AUDIENCE } from "./graph.js";
export { AzureError } from "./errors.js";
export { BUILT_IN_ROLES, findRole } from "./roles.js";
export { createClassicTable } from "./resources/workspaces.js";

export interface AzureSandboxOptions {
  tenantId?: string;
  subscriptionId?: string;
  resourceGroups?: { name: string; location: string; tags?: Record<string, string> }[];
  workspaces?: {
    name: string;
    resourceGroup: string;
    location?: string;
    customerId?: string;
    sentinel?: boolean;
    /** Onboarded to the Microsoft Defender portal (its rule-raised incidents enter the Defender queue). */
    defender?: boolean;
  }[];
  /**
   * Microsoft Entra directory roles of the deploying user (default Privileged Role Administrator, which may grant
   * Microsoft Graph app roles to a managed identity; add "Security Reader" to read the Defender queue through Graph).
   */
  deployerEntraRoles?: string[];
  /** Role names or GUIDs the deploying principal holds at subscription scope (default Owner). */
  deployerRoles?: string[];
  /**
   * Whether member users may register applications (the tenant's authorization policy; default "allowed"). With
   * "denied", only a directory role such as Application Developer may (`deployerEntraRoles`); Graph refuses others
   * with 403 Authorization_RequestDenied. Also switchable later: `state.applications.allowedToCreateApps`.
   */
  appRegistration?: "allowed" | "denied";
  /** Propagation delay of new role assignments, sandbox ms (default 0). */
  roleAssignmentDelayMs?: number;
  /** Delay before ingested rows are visible, sandbox ms (default 0). */
  ingestionLatencyMs?: number;
  /**
   * App registrations with a service principal in the tenant: Microsoft Graph finds them by appId and role
   * assignments take them as `principalType: ServicePrincipal`. More later with `state.addServicePrincipal`.
   */
  servicePrincipals?: AppRegistration[];
  /** Provider namespaces that start NotRegistered (default: all registered). */
  unregisteredProviders?: string[];
  /** More subscriptions the signed-in user sees (listed, readable, empty), e.g. to choose among. */
  otherSubscriptions?: { subscriptionId: string; displayName: string }[];
  /** The sandbox clock (default: a manual clock starting when the sandbox starts; time moves by `clock.advance`). */
  clock?: SandboxClock;
  faults?: FaultOptions;
}

export interface AzureSandbox {
  endpoints: {
    resourceManager: string;
    logAnalytics: string;
    logsIngestion: string;
    portal: string;
    logicApps: string;
    login?: string;
    /** Microsoft Graph (token audience https://graph.microsoft.com). */
    graph: string;
  };
  caCert: string;
  credential: TokenCredential;
  tenantId: string;
  subscriptionId: string;
  principalId: string;
  state: AzureState;
  clock: SandboxClock;
  faults: FaultInjector;
  /** Env vars that make the fake `az` (sandbox-bin/az) answer with sandbox tokens (PATH prefix + state file). */
  azCliEnv(): Record<string, string>;
  /** The Logic Apps runtime (run history; `await logic.idle()` waits for runs still going). */
  logic: LogicRuntime;
  /** The Defender portal's incident queue and the Graph app-role assignments (defender/). */
  defender: { world: DefenderWorld; appRoles: AppRoleStore; portal: string };
  /** The data plane (table rows, `runRules()` to run due analytics rules now). */
  data: DataPlane;
  /** A credential acting as another principal (e.g. a workflow's managed identity, by its principalId). */
  credentialFor(principalId: string): TokenCredential;
  stop(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
/**
 * sandbox-bin (the fake `az`), from src/sandbox/azure or dist/sandbox/azure. It ships with the package, so the
 * second-shell instructions of `demo --keep` work from an installed package as from a clone.
 */
export const FAKE_AZ_DIR = resolve(here, "../../../sandbox-bin");

export async function startAzureSandbox(options: AzureSandboxOptions = {}): Promise<AzureSandbox> {
  const clock = options.clock ?? createClock({ start: Date.now() });
  const tenantId = options.tenantId ?? randomUUID();
  const subscriptionId = options.subscriptionId ?? randomUUID();
  const state = new AzureState(tenantId, subscriptionId, clock, options.roleAssignmentDelayMs ?? 0);
  const faults = createFaultInjector(options.faults);
  const issuer = new TokenIssuer(tenantId, clock);
  const certsP = generateCerts();

  const appRoles = new AppRoleStore();
  const defenderPortal = () => `${state.endpoints.portal}/defender`;
  const world = new DefenderWorld(state, clock, defenderPortal);
  const { principalId, upn } = seedTenant(state, options, { appRoles, world });

  const providers = new Map<string, "Registered" | "NotRegistered" | "Registering">(
    KNOWN_PROVIDERS.map((p) => [p.toLowerCase(), "Registered"]),
  );
  for (const p of options.unregisteredProviders ?? []) providers.set(p.toLowerCase(), "NotRegistered");

  const certs = await certsP;
  const logic = createLogicRuntime(createLogicHost(state, issuer, certs.caCert));
  const data = createDataPlane(
    createStateHost(state, { ingestionLatencyMs: options.ingestionLatencyMs ?? 0, defender: world }),
  );
  const env: ArmEnv = {
    state,
    issuer,
    logic,
    data,
    providers,
    otherSubscriptions: options.otherSubscriptions,
    environment: () => environmentOf(state, state.endpoints.login),
  };
  const deployments = createDeploymentsApi(env);
  const session = randomBytes(24).toString("base64url");
  // The login endpoint first: every other endpoint names it in WWW-Authenticate.
  const login = await listen(
    certs,
    createLoginRouter(issuer, session, { id: principalId, upn }, subscriptionId, state),
  );
  const auth = (audiences: readonly string[]) => ({ issuer, audiences, authority: login.url, tenantId });

  const laRouter = createRouter({
    service: "log-analytics",
    faults,
    before: authenticate({
      ...auth(AUDIENCES.logAnalytics),
      // Log Analytics query API error shape (OperationalInsights.json ErrorResponse).
      body: (code, message) => ({
        error: {
          code: "AuthorizationRequiredError",
          message: "Valid authentication was not provided",
          innererror: { code, message },
        },
      }),
    }),
    onError: (e) => errorResponse(e),
  });
  mountQueryApi(laRouter, data, (r) => callerFromRequest(r).principalId);
  const ingestRouter = createRouter({
    service: "logs-ingestion",
    faults,
    maxBodyBytes: 64 * 1024 * 1024,
    before: authenticate(auth(AUDIENCES.ingestion)),
    onError: (e) => errorResponse(e),
  });
  mountIngestionApi(ingestRouter, data, (r) => callerFromRequest(r).principalId);

  const [arm, la, ingest, portal, logicApps, graph] = await Promise.all([
    listen(certs, createArmRouter(env, deployments, auth(AUDIENCES.management), faults)),
    listen(certs, laRouter),
    listen(certs, ingestRouter),
    listen(certs, createPortalRouter(env, principalId)),
    listen(certs, createLogicAppsRouter(env, logic, faults)),
    listen(certs, createGraphRouter(state, issuer, faults, { world, appRoles })),
  ]);
  const loginUrl = login.url;
  state.endpoints = {
    resourceManager: arm.url,
    logAnalytics: la.url,
    logsIngestion: ingest.url,
    portal: portal.url,
    logicApps: logicApps.url,
    login: loginUrl,
    graph: graph.url,
  };
  data.start();

  let azDir: string | undefined;
  const servers = [arm, la, ingest, portal, logicApps, graph, login];
  return {
    endpoints: { ...state.endpoints },
    caCert: certs.caCert,
    credential: sandboxCredential(issuer, { principalId, user: true, upn }),
    tenantId,
    subscriptionId,
    principalId,
    state,
    clock,
    faults,
    logic,
    data,
    defender: { world, appRoles, portal: defenderPortal() },
    credentialFor(id: string) {
      const p = state.principals.get(id);
      if (!p) throw new Error(`No principal '${id}' in the sandbox.`);
      return sandboxCredential(issuer, { principalId: id, user: p.type === "User", appId: p.appId });
    },
    azCliEnv() {
      if (!azDir) {
        azDir = mkdtempSync(join(tmpdir(), "azure-sandbox-az-"));
        const file = join(azDir, "state.json");
        writeFileSync(
          file,
          JSON.stringify({ loginUrl: login.url, session, caCert: certs.caCert, tenantId, subscriptionId, user: upn }),
          { mode: 0o600 },
        );
        writeFileSync(join(azDir, "ca.pem"), certs.caCert);
      }
      return {
        PATH: `${FAKE_AZ_DIR}${delimiter}${process.env.PATH ?? ""}`,
        AZURE_SANDBOX_AZ_STATE: join(azDir, "state.json"),
        // The sandbox CA as a file, for a child process's NODE_EXTRA_CA_CERTS (not set here: callers may combine CAs).
        AZURE_SANDBOX_CA_FILE: join(azDir, "ca.pem"),
      };
    },
    async stop() {
      data.stop();
      await within(Promise.all([deployments.idle(), logic.idle()]), 2000);
      await Promise.all(servers.map((s) => s.close()));
      if (azDir) rmSync(azDir, { recursive: true, force: true });
    },
  };
}

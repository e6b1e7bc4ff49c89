/**
 * The contract of one emulated resource type: which api-versions the provider accepts, how a PUT body is
 * validated and turned into the resource Azure would return, and its POST actions and sub-paths
 * (listCallbackUrl, runs, listConsentLinks…). The generic ARM layer (`../arm/resources-api.ts`) does the
 * checks common to all types (api-version, authorization, parent and resource group existence).
 */
import type { SandboxRequest, SandboxResponse } from "../../common/router.js";
import type { DataPlane } from "../data/index.js";
import type { LogicRuntime } from "../logic/index.js";
import type { ArmResource, AzureState, StoredResource } from "../state.js";
import type { TokenIssuer } from "../tokens.js";

export interface ArmEnv {
  state: AzureState;
  issuer: TokenIssuer;
  logic: LogicRuntime;
  data: DataPlane;
  /** ARM's `environment()` for templates, with this sandbox's endpoints. */
  environment(): Record<string, unknown>;
  /** Provider namespace (lower-cased) → registration state. */
  providers: Map<string, "Registered" | "NotRegistered" | "Registering">;
  /** Subscriptions listed besides the sandbox's own; they hold nothing (arm/lists-api.ts). */
  otherSubscriptions?: { subscriptionId: string; displayName: string }[];
}

export interface PutRequest {
  env: ArmEnv;
  id: string;
  /** Last name segment. */
  name: string;
  body: Record<string, any>;
  apiVersion: string;
  existing?: StoredResource;
  principalId: string;
  /** what-if / validate: compute the resource without side effects. */
  dryRun: boolean;
}

export interface PutOutcome {
  resource: ArmResource;
  secrets?: Record<string, string>;
  /** Side effects to run after the resource is stored (principals, role assignments…). */
  commit?: () => void;
}

export interface SubRouteRequest {
  env: ArmEnv;
  /** The stored resource the sub-path hangs off. */
  resource: StoredResource;
  params: Record<string, string>;
  req: SandboxRequest;
  principalId: string;
}

export interface SubRoute {
  method: string;
  /** Relative pattern, e.g. `triggers/:trigger/listCallbackUrl`. */
  pattern: string;
  /** RBAC action to check, e.g. `Microsoft.Logic/workflows/triggers/listCallbackUrl/action`. */
  action: string;
  handle(r: SubRouteRequest): SandboxResponse | Promise<SandboxResponse>;
}

export interface ResourceHandler {
  /** `Namespace/type[/child]`, canonical casing. */
  type: string;
  apiVersions: readonly string[];
  /** Tracked resources need a location. */
  tracked: boolean;
  /** Name rule: a RegExp plus the message Azure gives, or a function returning an error message. */
  checkName?(name: string): string | undefined;
  put(r: PutRequest): PutOutcome | Promise<PutOutcome>;
  onDelete?(env: ArmEnv, resource: ArmResource): void;
  subRoutes?: SubRoute[];
}

export const ok = (body: unknown, status = 200): SandboxResponse => ({ status, body });

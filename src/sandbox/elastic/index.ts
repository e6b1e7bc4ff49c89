/** Public API of the local Kibana + Elasticsearch emulators. */
export { startElasticSandbox, type ElasticSandbox, type ElasticSandboxOptions } from "./sandbox.js";
export type { ElasticSandboxState } from "./state.js";
export type { RoleGrant, IndexPrivilegeGrant, ApplicationPrivilegeGrant } from "./auth.js";
export type { LicenseType, OutgoingCall } from "./context.js";
export type { RuleRunResult } from "./kibana/rules/scheduler.js";
export type { FleetEmulator, FleetEmulatorOptions } from "../elastic-fleet/index.js";

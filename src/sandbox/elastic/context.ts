/**
 * The state both emulators share, in one object: principals, documents, licence, version, and the
 * per-space Kibana saved objects (connectors, case configuration, cases, rules). Kibana keeps these per
 * space (`/s/{space_id}`, https://www.elastic.co/docs/api/doc/kibana/group/endpoint-spaces), so they live under `spaces.get(spaceId)`.
 */
import type { SandboxClock } from "../common/clock.js";
import type { Realm } from "./auth.js";
import type { DocStore } from "./es/store.js";
import type { CaseConfiguration, CaseRecord } from "./kibana/cases/model.js";
import type { StoredConnector } from "./kibana/connectors/model.js";
import type { StoredRule } from "./kibana/rules/model.js";

export type LicenseType = "basic" | "gold" | "platinum" | "enterprise" | "trial";

export const LICENSE_ORDER: LicenseType[] = ["basic", "gold", "platinum", "enterprise"];

/** Is `have` at least `need`? trial counts as enterprise (x-pack licensing `isLicenseAtLeast`). */
export function licenseAtLeast(have: LicenseType, need: LicenseType): boolean {
  const rank = (t: LicenseType) => (t === "trial" ? LICENSE_ORDER.length : LICENSE_ORDER.indexOf(t));
  return rank(have) >= rank(need);
}

export interface SpaceData {
  id: string;
  connectors: Map<string, StoredConnector>;
  caseConfigs: Map<string, CaseConfiguration>;
  cases: Map<string, CaseRecord>;
  rules: Map<string, StoredRule>;
}

/** One outgoing HTTP call made by a connector or a rule action, kept for tests to inspect. */
export interface OutgoingCall {
  at: string;
  connectorId: string;
  method: string;
  url: string;
  status?: number;
  error?: string;
}

export interface SandboxContext {
  clock: SandboxClock;
  realm: Realm;
  store: DocStore;
  license: { type: LicenseType; status: "active" | "expired"; uid: string; issuedAt: number };
  version: string;
  encryptionKey: boolean;
  extraCaCerts: string[];
  /** xpack.actions.allowedHosts for outgoing connector calls (sandbox default: loopback only). */
  allowedHosts: string[];
  spaces: Map<string, SpaceData>;
  kibanaUrl: string;
  /** Outgoing connector calls, newest last (bounded). */
  outgoing: OutgoingCall[];
  /** Counter for deterministic ids that are not UUIDs (versions, seq numbers). */
  seq: number;
  /** Whether ES refuses REST-compatibility headers its major does not accept. */
  esCompatibilityHeaders: "strict" | "lenient";
}

export function newSpace(id: string): SpaceData {
  return { id, connectors: new Map(), caseConfigs: new Map(), cases: new Map(), rules: new Map() };
}

export function recordOutgoing(ctx: SandboxContext, call: OutgoingCall): void {
  ctx.outgoing.push(call);
  if (ctx.outgoing.length > 1000) ctx.outgoing.splice(0, ctx.outgoing.length - 1000);
}

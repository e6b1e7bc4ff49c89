/**
 * The `state` handle tests and `demo` use to look at and change the emulators without going through
 * HTTP: licence, version, spaces, principals, documents, connectors, cases, rules, and the scheduler.
 */
import { randomUUID } from "node:crypto";
import type { RoleGrant } from "./auth.js";
import { type LicenseType, newSpace, type OutgoingCall, type SandboxContext, type SpaceData } from "./context.js";
import { search } from "./es/search.js";
import type { CaseConfiguration, CaseRecord } from "./kibana/cases/model.js";
import type { StoredConnector } from "./kibana/connectors/model.js";
import { ruleResponse } from "./kibana/rules/view.js";
import type { RuleScheduler, RuleRunResult } from "./kibana/rules/scheduler.js";
import { parseVersion } from "./version.js";

export interface ElasticSandboxState {
  readonly version: string;
  readonly license: LicenseType;
  setLicense(type: LicenseType, status?: "active" | "expired"): void;
  setVersion(version: string): void;
  setEncryptionKey(present: boolean): void;
  addSpace(id: string): void;
  spaces(): string[];
  /** Add a user for basic auth; `privileges` as an ES role (cluster, indices, Kibana applications). */
  addUser(user: { username: string; password: string; privileges?: RoleGrant; superuser?: boolean }): void;
  /** Create an API key (limited when `privileges` is given); returns its id and `encoded` value. */
  createApiKey(options?: { name?: string; privileges?: RoleGrant; owner?: string }): { id: string; encoded: string };
  invalidateApiKey(id: string): boolean;
  /** Connectors including their secrets (the API never returns secrets; tests may look). */
  connectors(space?: string): StoredConnector[];
  caseConfigurations(space?: string): CaseConfiguration[];
  cases(space?: string): CaseRecord[];
  rules(space?: string): ReturnType<typeof ruleResponse>[];
  disableRule(ruleIdOrId: string, space?: string): void;
  enableRule(ruleIdOrId: string, space?: string): void;
  /** Run every enabled rule now (all spaces), as if its interval had elapsed. */
  runRulesNow(): Promise<RuleRunResult[]>;
  runRule(ruleIdOrId: string, space?: string): Promise<RuleRunResult>;
  /** Index one document (creates indices and `logs-*-*` data streams as ES does). */
  indexDocument(index: string, doc: Record<string, unknown>, id?: string): { index: string; id: string };
  indexDocuments(index: string, docs: Record<string, unknown>[]): number;
  /** Sources of documents matching a query DSL query (default match_all). */
  documents(index: string, query?: unknown): Record<string, unknown>[];
  alerts(space?: string): Record<string, unknown>[];
  /** Outgoing connector HTTP calls, oldest first. */
  readonly outgoing: OutgoingCall[];
  readonly docCount: number;
}

export function createState(ctx: SandboxContext, scheduler: RuleScheduler): ElasticSandboxState {
  const space = (id = "default"): SpaceData => {
    const s = ctx.spaces.get(id);
    if (!s) throw new Error(`no space '${id}' in the sandbox (add it with state.addSpace)`);
    return s;
  };
  const findRule = (ruleIdOrId: string, spaceId?: string) => {
    const rule = [...space(spaceId).rules.values()].find((r) => r.id === ruleIdOrId || r.rule_id === ruleIdOrId);
    if (!rule) throw new Error(`no rule '${ruleIdOrId}' in space '${spaceId ?? "default"}'`);
    return rule;
  };
  return {
    get version() {
      return ctx.version;
    },
    get license() {
      return ctx.license.type;
    },
    setLicense(type, status = "active") {
      ctx.license = { ...ctx.license, type, status, uid: randomUUID() };
    },
    setVersion(version) {
      parseVersion(version);
      ctx.version = version;
    },
    setEncryptionKey(present) {
      ctx.encryptionKey = present;
    },
    addSpace(id) {
      if (!/^[a-z0-9_-]+$/.test(id)) throw new Error(`invalid space id '${id}' (lowercase letters, digits, _ and -)`);
      if (!ctx.spaces.has(id)) ctx.spaces.set(id, newSpace(id));
    },
    spaces: () => [...ctx.spaces.keys()],
    addUser({ username, password, privileges, superuser }) {
      ctx.realm.addUser(username, password, privileges ?? {}, superuser ?? false);
    },
    createApiKey({ name, privileges, owner } = {}) {
      return ctx.realm.createApiKey({
        name,
        owner,
        grant: privileges ?? {},
        superuser: privileges ? false : undefined,
      });
    },
    invalidateApiKey: (id) => ctx.realm.invalidateApiKey(id),
    connectors: (s) => [...space(s).connectors.values()],
    caseConfigurations: (s) => [...space(s).caseConfigs.values()],
    cases: (s) => [...space(s).cases.values()],
    rules: (s) => [...space(s).rules.values()].map(ruleResponse),
    disableRule(id, s) {
      const rule = findRule(id, s);
      rule.enabled = false;
      scheduler.unschedule(rule);
    },
    enableRule(id, s) {
      const rule = findRule(id, s);
      rule.enabled = true;
      scheduler.schedule(space(s), rule);
    },
    runRulesNow: () => scheduler.runAll(),
    runRule: (id, s) => scheduler.runRule(space(s), findRule(id, s)),
    indexDocument(index, doc, id) {
      const r = ctx.store.index(index, doc, { id, opType: id ? "index" : "create" });
      return { index: r.index, id: r.id };
    },
    indexDocuments(index, docs) {
      for (const d of docs) ctx.store.index(index, d, { opType: "create" });
      return docs.length;
    },
    documents(index, query) {
      return search(ctx.store, index, { query, size: 10_000 }, ctx.clock.now(), true).hits.hits.map(
        (h) => h._source as Record<string, unknown>,
      );
    },
    alerts(s = "default") {
      return search(ctx.store, `.alerts-security.alerts-${s}`, { size: 10_000 }, ctx.clock.now(), true).hits.hits.map(
        (h) => h._source as Record<string, unknown>,
      );
    },
    get outgoing() {
      return ctx.outgoing;
    },
    get docCount() {
      return ctx.store.docCount;
    },
  };
}

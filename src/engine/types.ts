/**
 * The engine's contracts. `setup` is an ordered array of steps; each step plans (reads remote state and
 * says what it would change), applies exactly those changes, and verifies (re-reads and checks).
 * No local state file: remote objects are found again by deterministic names, ids and tags.
 */
import type { ResolvedConfig } from "../config/schema.js";
import type { IoHost } from "../io/io-host.js";
import type { Names } from "../names.js";
import type { Clients } from "./clients.js";
import type { SharedState } from "./shared-state.js";

export type Target = "kibana" | "elasticsearch" | "azure" | "fleet";

/**
 * `replace`: deleted and created again (an object Azure cannot update in place, e.g. a role assignment whose
 * principal changed). `conflict`: an object with our name that is not ours (no marker we wrote): never changed;
 * setup stops before any change and names it.
 */
export type ChangeAction = "create" | "update" | "replace" | "no-op" | "delete" | "conflict";

/** One planned change; `P` is what the owning step's apply needs (its `payload`). */
export interface Change<P = unknown> {
  /** Id of the step that owns the change. */
  step: string;
  target: Target;
  /** What kind of object, e.g. "connector (.cases-webhook)", "Logic App workflow", "detection rule". */
  resource: string;
  /** Deterministic name or id (never a secret). */
  name: string;
  action: ChangeAction;
  /** One line: why this action. */
  reason: string;
  /** Needs an explicit confirmation (or --yes): deleting, replacing the user's settings. */
  destructive?: boolean;
  /** Field-level differences safe to print (redacted before printing). */
  diff?: { field: string; from?: unknown; to?: unknown }[];
  /**
   * Scheduled upkeep, not drift: nothing was changed by hand, time has come for it (a client secret within its
   * rotation window). `plan` and `setup` show and do it; `verify` leaves it to the object's own check (a warning)
   * instead of failing it as drift.
   */
  upkeep?: boolean;
  /** Internal data the step's apply needs; never printed. */
  payload?: P;
}

export type CheckStatus = "pass" | "fail" | "warn" | "skip";

export interface Check {
  id: string;
  title: string;
  status: CheckStatus;
  /** Ids, links, counts — never secrets. */
  evidence?: string;
  durationMs?: number;
  /** On failure: the likely cause. */
  cause?: string;
  /** On failure: what to do, ideally a command. */
  remedy?: string;
}

/** Everything a step may use. Steps take only the slice they need (`Pick<StepContext, ...>`). */
export interface StepContext {
  readonly config: ResolvedConfig;
  /** Every name we give or look for, resolved once from the config (src/names.ts). */
  readonly names: Names;
  readonly io: IoHost;
  readonly clients: Clients;
  /** In-memory hand-off between steps (callback URLs, versions found in preflight). Never written to disk. */
  readonly shared: SharedState;
  /** Aborted on SIGINT: long waits must stop promptly. */
  readonly signal: AbortSignal;
  /** Wall-clock helpers, so waits can be bounded and reported. */
  readonly now: () => number;
  sleep(ms: number): Promise<void>;
}

/** A managed object's setup step; `P` is the payload its plan hands to its apply. */
export interface Step<P = unknown> {
  id: string;
  title: string;
  target: Target;
  /** Ids of steps whose apply must finish before this one applies (steps with no path between them may run concurrently). */
  after?: string[];
  /** Whether the step takes part with this configuration (feature flags). */
  enabled(config: ResolvedConfig): boolean;
  /** Read remote state; return the changes (including no-ops, so the plan shows every managed object). */
  plan(ctx: StepContext): Promise<Change<P>[]>;
  /** Carry out the planned changes (only this step's). May re-read remote state; must be idempotent. */
  apply(ctx: StepContext, changes: Change<P>[]): Promise<void>;
  /** Re-read and check. */
  verify?(ctx: StepContext): Promise<Check[]>;
}

/** The teardown counterpart: plans deletes of what setup made, in reverse dependency order. */
export interface TeardownStep<P = unknown> {
  id: string;
  title: string;
  target: Target;
  after?: string[];
  enabled(config: ResolvedConfig): boolean;
  plan(ctx: StepContext): Promise<Change<P>[]>;
  apply(ctx: StepContext, changes: Change<P>[]): Promise<void>;
}

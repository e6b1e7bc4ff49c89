/** The plan and the checks as tables (see table.ts for widths); summaries count every status. */
import type { ChalkInstance } from "chalk";
import type { Change, Check } from "../engine/types.js";
import { renderTable, type TableOptions, type TableRow } from "./table.js";

export { renderTable, truncateMiddle } from "./table.js";
export type { TableOptions } from "./table.js";

export interface PlanSummary {
  create: number;
  update: number;
  replace: number;
  delete: number;
  unchanged: number;
  conflict: number;
}

export function summarizePlan(changes: readonly Change[]): PlanSummary {
  const count = (a: Change["action"]) => changes.filter((c) => c.action === a).length;
  return {
    create: count("create"),
    update: count("update"),
    replace: count("replace"),
    delete: count("delete"),
    unchanged: count("no-op"),
    conflict: count("conflict"),
  };
}

export function hasChanges(changes: readonly Change[]): boolean {
  return changes.some((c) => c.action !== "no-op");
}

function actionCell(action: Change["action"], style: ChalkInstance): string {
  switch (action) {
    case "create":
      return style.green("+ create");
    case "update":
      return style.yellow("~ update");
    case "delete":
      return style.red("- delete");
    case "replace":
      return style.yellow("-/+ replace");
    case "conflict":
      return style.red("! conflict");
    default:
      return style.dim("  no-op");
  }
}

/** "azure: 15 to create, 1 unchanged · kibana: 4 to create": the plan per platform, in the plan's order. */
export function planByPlatform(changes: readonly Change[]): string {
  const targets = [...new Set(changes.map((c) => c.target))];
  return targets
    .map((t) => {
      const s = summarizePlan(changes.filter((c) => c.target === t));
      const parts = [
        s.create ? `${s.create} to create` : "",
        s.update ? `${s.update} to update` : "",
        s.replace ? `${s.replace} to replace` : "",
        s.delete ? `${s.delete} to delete` : "",
        s.conflict ? `${s.conflict} in conflict` : "",
        s.unchanged ? `${s.unchanged} unchanged` : "",
      ].filter(Boolean);
      return `${t}: ${parts.join(", ")}`;
    })
    .join(" · ");
}

export function formatPlan(changes: readonly Change[], style: ChalkInstance, options: TableOptions = {}): string {
  if (changes.length === 0) return "Plan: nothing to manage with this configuration.";
  const rows = changes.map((c) => [
    c.target,
    c.resource,
    c.name,
    actionCell(c.action, style) + (c.destructive ? style.red(" !") : ""),
    c.reason,
  ]);
  const s = summarizePlan(changes);
  const table = renderTable(["TARGET", "RESOURCE", "NAME", "ACTION", "REASON"], rows, style, {
    ...options,
    shrink: [2],
    minLast: 24,
  });
  const destructive = changes.filter((c) => c.destructive && c.action !== "no-op").length;
  const summary = `Plan: ${s.create} to create, ${s.update} to update, ${s.replace ? `${s.replace} to replace, ` : ""}${s.delete} to delete, ${s.unchanged} unchanged${s.conflict ? `, ${s.conflict} in conflict (not ours)` : ""}.`;
  const platforms = new Set(changes.map((c) => c.target)).size > 1 ? [`By platform: ${planByPlatform(changes)}.`] : [];
  return [
    table,
    "",
    summary + (destructive ? ` ${destructive} destructive (marked !): needs confirmation.` : ""),
    ...platforms,
  ].join("\n");
}

const statusCell = (status: Check["status"], style: ChalkInstance) =>
  status === "pass"
    ? style.green("PASS")
    : status === "fail"
      ? style.red("FAIL")
      : status === "warn"
        ? style.yellow("WARN")
        : style.dim("SKIP");

/** The verify paths, by the prefix of their hop ids (src/verify): the table groups its rows under these. */
export const CHECK_GROUPS = [
  { prefix: "case.", title: "Case path: a Kibana case → a Sentinel incident" },
  { prefix: "alerts.", title: "Alert path, fast: a synthetic alert → the row → an incident" },
  { prefix: "full.", title: "Alert path, full: the test document → our rule → the row → an incident" },
] as const;
export const CONFIGURATION_GROUP = "Configuration checks";

export function checkGroup(check: Pick<Check, "id">): string {
  return CHECK_GROUPS.find((g) => check.id.startsWith(g.prefix))?.title ?? CONFIGURATION_GROUP;
}

/** What a row says beside its status: for FAIL and WARN the cause and what to do, otherwise the evidence. */
export function checkDetail(c: Check): string {
  if (c.status === "fail" || c.status === "warn") {
    const text = [c.cause, c.remedy && `→ ${c.remedy}`].filter(Boolean).join(" ");
    return text || (c.evidence ?? "");
  }
  return c.evidence ?? "";
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** `Checks: 30 of 32 passed, 2 warnings.` — every status that occurs is counted. */
export function summarizeChecks(checks: readonly Check[]): string {
  const n = (s: Check["status"]) => checks.filter((c) => c.status === s).length;
  const extra = [
    n("warn") ? plural(n("warn"), "warning") : "",
    n("fail") ? `${n("fail")} failed` : "",
    n("skip") ? `${n("skip")} skipped` : "",
  ].filter(Boolean);
  return `Checks: ${n("pass")} of ${checks.length} passed${extra.length ? `, ${extra.join(", ")}` : ""}.`;
}

export function formatChecks(checks: readonly Check[], style: ChalkInstance, options: TableOptions = {}): string {
  if (checks.length === 0) return "Checks: none.";
  const row = (c: Check) => [
    statusCell(c.status, style),
    c.title,
    c.durationMs === undefined ? "" : `${(c.durationMs / 1000).toFixed(1)}s`,
    checkDetail(c),
  ];
  const groups = new Map<string, Check[]>();
  for (const c of checks) groups.set(checkGroup(c), [...(groups.get(checkGroup(c)) ?? []), c]);
  // Headings only when the table holds a path: two "Sentinel: an incident…" rows must say which path they are.
  const headed = [...groups.keys()].some((g) => g !== CONFIGURATION_GROUP);
  const rows: TableRow[] = headed
    ? [...groups].flatMap(([heading, cs]) => [{ heading }, ...cs.map(row)])
    : checks.map(row);
  return [
    renderTable(["STATUS", "CHECK", "TIME", "EVIDENCE / REMEDY"], rows, style, options),
    "",
    summarizeChecks(checks),
  ].join("\n");
}

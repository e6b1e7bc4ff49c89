/** Plain-text tables for the plan, the resources and the checks (colour is applied per cell, widths on plain text). */
import type { ChalkInstance } from "chalk";
import type { Change, Check } from "../engine/types.js";

// Strips ANSI colour codes to measure width.
const ANSI = /\x1b\[[0-9;]*m/g;
const width = (s: string) => s.replace(ANSI, "").length;

export function renderTable(headers: string[], rows: string[][], style: ChalkInstance): string {
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + " ".repeat(widths[i]! - width(c))))
      .join("  ")
      .trimEnd();
  return [style.bold(line(headers)), ...rows.map(line)].join("\n");
}

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  unchanged: number;
}

export function summarizePlan(changes: readonly Change[]): PlanSummary {
  const count = (a: Change["action"]) => changes.filter((c) => c.action === a).length;
  return { create: count("create"), update: count("update"), delete: count("delete"), unchanged: count("no-op") };
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
    default:
      return style.dim("  no-op");
  }
}

export function formatPlan(changes: readonly Change[], style: ChalkInstance): string {
  if (changes.length === 0) return "Plan: nothing to manage with this configuration.";
  const rows = changes.map((c) => [
    c.target,
    c.resource,
    c.name,
    actionCell(c.action, style) + (c.destructive ? style.red(" !") : ""),
    c.reason,
  ]);
  const s = summarizePlan(changes);
  const table = renderTable(["TARGET", "RESOURCE", "NAME", "ACTION", "REASON"], rows, style);
  const destructive = changes.filter((c) => c.destructive && c.action !== "no-op").length;
  const summary = `Plan: ${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.unchanged} unchanged.`;
  return [table, "", summary + (destructive ? ` ${destructive} destructive (marked !): needs confirmation.` : "")].join(
    "\n",
  );
}

const statusCell = (status: Check["status"], style: ChalkInstance) =>
  status === "pass"
    ? style.green("PASS")
    : status === "fail"
      ? style.red("FAIL")
      : status === "warn"
        ? style.yellow("WARN")
        : style.dim("SKIP");

export function formatChecks(checks: readonly Check[], style: ChalkInstance): string {
  if (checks.length === 0) return "Checks: none.";
  const rows = checks.map((c) => [
    statusCell(c.status, style),
    c.title,
    c.durationMs === undefined ? "" : `${(c.durationMs / 1000).toFixed(1)}s`,
    c.status === "fail" ? [c.cause, c.remedy && `→ ${c.remedy}`].filter(Boolean).join(" ") : (c.evidence ?? ""),
  ]);
  const failed = checks.filter((c) => c.status === "fail").length;
  return [
    renderTable(["STATUS", "CHECK", "TIME", "EVIDENCE / REMEDY"], rows, style),
    "",
    `Checks: ${checks.length - failed} of ${checks.length} passed${failed ? `, ${failed} failed` : ""}.`,
  ].join("\n");
}

/**
 * `verify --report FILE.html`: one self-contained page a person can read and CI can attach. The paths are drawn
 * hop by hop (status, timing, evidence with its links), then the configuration checks, the inputs (secrets
 * already "[REDACTED]") and the versions. No script, no external asset: a Content-Security-Policy of
 * `default-src 'none'` makes the browser load nothing, and every text passes through redact() and is escaped.
 */
import type { Check } from "../engine/types.js";
import { CHECK_GROUPS, CONFIGURATION_GROUP, checkDetail, checkGroup, summarizeChecks } from "../io/format.js";
import { formatDuration } from "../io/wait-progress.js";
import { redact } from "../redact.js";
import { REPORT_CSS } from "./html-style.js";

export interface HtmlReportData {
  /** "verify" (or "setup" when it verified at its end). */
  command: string;
  /** When the run started and how long it took (the clock the run used). */
  startedAt: number;
  durationMs: number;
  checks: readonly Check[];
  /** Inputs by config key, secrets already redacted (RunReport.inputs). */
  inputs: Record<string, unknown>;
  /** Tool, Node, Kibana, API versions: label → value. */
  versions: Record<string, string>;
  /** The run's error, when it ended in one (exit code and message). */
  error?: { code: string; message: string; exitCode: number };
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** Redacted, escaped, and every http(s) URL made a link (opening it is the reader's choice; the page loads none). */
export function textWithLinks(text: string): string {
  const safe = redact(text);
  const out: string[] = [];
  let last = 0;
  for (const m of safe.matchAll(/https?:\/\/[^\s"'<>]+/g)) {
    out.push(escapeHtml(safe.slice(last, m.index)));
    const url = m[0].replace(/[),.;]+$/, "");
    out.push(`<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`);
    last = m.index! + url.length;
  }
  out.push(escapeHtml(safe.slice(last)));
  return out.join("");
}

const seconds = (ms?: number) =>
  ms === undefined ? "" : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : formatDuration(ms);

const STATUS = { pass: "PASS", fail: "FAIL", warn: "WARN", skip: "SKIP" } as const;

function hop(c: Check, i: number): string {
  const detail = checkDetail(c);
  return [
    `<li class="hop ${c.status}" data-check="${escapeHtml(c.id)}">`,
    `<div class="hop-head"><span class="n">${i + 1}</span><span class="status">${STATUS[c.status]}</span>`,
    `<span class="time">${escapeHtml(seconds(c.durationMs))}</span></div>`,
    `<div class="title">${textWithLinks(c.title)}</div>`,
    detail ? `<div class="evidence">${textWithLinks(detail)}</div>` : "",
    "</li>",
  ].join("");
}

function pathSection(title: string, checks: readonly Check[]): string {
  const verdict = checks.some((c) => c.status === "fail")
    ? "fail"
    : checks.every((c) => c.status === "skip")
      ? "skip"
      : "pass";
  const total = checks.reduce((a, c) => a + (c.durationMs ?? 0), 0);
  return [
    `<section class="path ${verdict}"><h2>${escapeHtml(title)} <small>${escapeHtml(seconds(total))} in the hops</small></h2>`,
    `<ol class="hops">${checks.map(hop).join('<li class="arrow" aria-hidden="true">→</li>')}</ol></section>`,
  ].join("");
}

function table(headers: string[], rows: string[][]): string {
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("");
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

const shown = (v: unknown) => (Array.isArray(v) ? v.join(", ") : typeof v === "object" ? JSON.stringify(v) : String(v));

export function renderHtmlReport(data: HtmlReportData): string {
  const failed = data.checks.some((c) => c.status === "fail");
  const verdict = data.error ? (data.error.exitCode === 130 ? "interrupted" : "fail") : failed ? "fail" : "pass";
  const paths = CHECK_GROUPS.map((g) => ({
    title: g.title,
    checks: data.checks.filter((c) => checkGroup(c) === g.title),
  })).filter((p) => p.checks.length > 0);
  const configuration = data.checks.filter((c) => checkGroup(c) === CONFIGURATION_GROUP);
  const started = new Date(data.startedAt).toISOString();
  const title = `sentinel-elastic ${data.command}: ${verdict === "pass" ? "every check passed" : verdict === "interrupted" ? "interrupted" : "checks failed"}`;
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    // Nothing is fetched: no script, no font, no image, no style sheet from anywhere.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title><style>${REPORT_CSS}</style></head><body>`,
    `<header class="${verdict}"><h1>${escapeHtml(title)}</h1>`,
    `<p>${escapeHtml(summarizeChecks(data.checks))} Started ${escapeHtml(started)}, took ${escapeHtml(formatDuration(data.durationMs))}.</p>`,
    data.error
      ? `<p class="error">Exit ${data.error.exitCode}, ${escapeHtml(data.error.code)}: ${textWithLinks(data.error.message)}</p>`
      : "",
    "</header><main>",
    paths.length
      ? paths.map((p) => pathSection(p.title, p.checks)).join("")
      : '<p class="none">No path was followed.</p>',
    configuration.length
      ? `<section><h2>Configuration checks</h2>${table(
          ["Status", "Check", "Evidence / remedy"],
          configuration.map((c) => [
            `<span class="badge ${c.status}">${STATUS[c.status]}</span>`,
            textWithLinks(c.title),
            textWithLinks(checkDetail(c)),
          ]),
        )}</section>`
      : "",
    `<section><h2>Inputs</h2>${table(
      ["Input", "Value"],
      Object.entries(data.inputs).map(([k, v]) => [`<code>${escapeHtml(k)}</code>`, textWithLinks(shown(v))]),
    )}</section>`,
    `<section><h2>Versions</h2>${table(
      ["Component", "Version"],
      Object.entries(data.versions).map(([k, v]) => [escapeHtml(k), escapeHtml(redact(v))]),
    )}</section>`,
    "</main></body></html>",
    "",
  ].join("\n");
}

/** The report page's only style sheet, inlined (the page loads nothing). Colours carry the status; so does text. */
export const REPORT_CSS = `
:root { --pass: #1a7f37; --pass-bg: #dafbe1; --fail: #cf222e; --fail-bg: #ffebe9; --warn: #9a6700; --warn-bg: #fff8c5;
  --skip: #57606a; --skip-bg: #eaeef2; --line: #d0d7de; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; background: #f6f8fa; }
header { padding: 16px 24px; color: #fff; }
header.pass { background: var(--pass); } header.fail { background: var(--fail); } header.interrupted { background: var(--warn); }
header h1 { margin: 0 0 4px; font-size: 20px; } header p { margin: 0; }
header .error { margin-top: 6px; font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
header a { color: #fff; }
main { padding: 8px 24px 32px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 16px 0; }
section.path.pass { border-left: 6px solid var(--pass); } section.path.fail { border-left: 6px solid var(--fail); }
section.path.skip { border-left: 6px solid var(--skip); }
h2 { font-size: 16px; margin: 0 0 10px; } h2 small { font-weight: normal; color: var(--skip); margin-left: 8px; }
ol.hops { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; align-items: stretch; gap: 8px; }
li.hop { width: 210px; border: 2px solid; border-radius: 8px; padding: 8px; overflow-wrap: anywhere; }
li.hop.pass { border-color: var(--pass); background: var(--pass-bg); }
li.hop.fail { border-color: var(--fail); background: var(--fail-bg); }
li.hop.warn { border-color: var(--warn); background: var(--warn-bg); }
li.hop.skip { border-color: var(--skip); background: var(--skip-bg); }
li.arrow { align-self: center; font-size: 22px; color: var(--skip); }
.hop-head { display: flex; gap: 8px; align-items: baseline; font-size: 12px; }
.hop-head .n { font-weight: bold; } .hop-head .time { margin-left: auto; color: var(--skip); }
.hop.pass .status { color: var(--pass); font-weight: bold; } .hop.fail .status { color: var(--fail); font-weight: bold; }
.hop.warn .status { color: var(--warn); font-weight: bold; } .hop.skip .status { color: var(--skip); font-weight: bold; }
.title { font-weight: 600; margin: 4px 0; } .evidence { font-size: 12px; color: #424a53; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line);
  vertical-align: top; overflow-wrap: anywhere; }
th { font-size: 12px; color: var(--skip); }
td:first-child, th:first-child { white-space: nowrap; width: 1%; }
.badge { font-weight: bold; font-size: 12px; } .badge.pass { color: var(--pass); } .badge.fail { color: var(--fail); }
.badge.warn { color: var(--warn); } .badge.skip { color: var(--skip); }
code { font-family: ui-monospace, monospace; font-size: 12px; }
a { color: #0969da; }
`;

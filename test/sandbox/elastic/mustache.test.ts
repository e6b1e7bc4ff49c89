/** Kibana's two Mustache renderers (ACT/server/lib/mustache_renderer.ts). */
import { describe, expect, it } from "vitest";
import { renderJson, renderNoEscape } from "../../../src/sandbox/elastic/mustache.js";

describe("renderMustacheStringNoEscape (cases-webhook)", () => {
  it("{{case.title}} with double braces HTML-escapes the quotes of the stringified value", () => {
    expect(renderNoEscape("{{case.title}}", { case: { title: JSON.stringify('a "b"') } })).toBe(
      "&quot;a \\&quot;b\\&quot;&quot;",
    );
  });
  it("{{{case.title}}} inserts the pre-stringified value raw, quotes included", () => {
    expect(renderNoEscape('{"t": {{{case.title}}}}', { case: { title: JSON.stringify('a "b"\n</script>') } })).toBe(
      '{"t": "a \\"b\\"\\n</script>"}',
    );
  });
  it("a missing variable renders as empty", () => {
    expect(renderNoEscape("[{{{external.system.ID}}}]", { external: { system: { id: "x" } } })).toBe("[]");
  });
  it("a broken template returns Kibana's error text instead of throwing", () => {
    expect(renderNoEscape("{{#a}}", {})).toMatch(/^error rendering mustache template "{{#a}}": /);
  });
});

describe("renderMustacheString(…, 'json') (rule actions)", () => {
  it("{{var}} is JSON-escaped without the surrounding quotes", () => {
    expect(renderJson('"{{name}}"', { name: 'he said "hi"\n\\' })).toBe('"he said \\"hi\\"\\n\\\\"');
  });
  it("{{{var}}} is raw", () => {
    expect(renderJson("{{{name}}}", { name: 'a"b' })).toBe('a"b');
  });
  it("{{{list.asJSON}}} renders an array as JSON; an object renders as JSON through toString", () => {
    const vars = { context: { alerts: [{ a: 1 }, { b: "x" }], rule: { name: "n" } } };
    expect(renderJson("{{{context.alerts.asJSON}}}", vars)).toBe('[{"a":1},{"b":"x"}]');
    expect(renderJson("{{{context.rule}}}", vars)).toBe('{"name":"n"}');
  });
  it("dotted variable names are expanded into objects", () => {
    expect(renderJson("{{kibana.alert.rule.name}}", { "kibana.alert.rule.name": "R" })).toBe("R");
  });
  it("sections iterate arrays", () => {
    expect(
      renderJson("{{#context.alerts}}[{{host.name}}]{{/context.alerts}}", {
        context: { alerts: [{ host: { name: "a" } }, { host: { name: "b" } }] },
      }),
    ).toBe("[a][b]");
  });
});

describe("rule-action rendering of real alert shapes", () => {
  it("an alert whose dotted key holds an array that also appears nested renders with asJSON (no redefine error)", () => {
    const tags = ["a", "b"];
    const alert = {
      "kibana.alert.rule.tags": tags,
      kibana: { alert: { rule: { tags } } },
      threat: [{ tactic: { name: "x" } }],
    };
    const out = renderJson(
      '{"alerts":{{{context.alerts.asJSON}}},"tags":{{{context.alerts.0.kibana.alert.rule.tags.asJSON}}}}',
      {
        context: { alerts: [alert, alert] },
      },
    );
    expect(out).not.toMatch(/error rendering/);
    const parsed = JSON.parse(out) as { alerts: unknown[]; tags: string[] };
    expect(parsed.alerts).toHaveLength(2);
    expect(parsed.tags).toEqual(["a", "b"]);
  });
});

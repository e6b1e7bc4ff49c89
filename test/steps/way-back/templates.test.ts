import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { defaultCatalogue } from "../../../src/sandbox/elastic-fleet/catalogue.js";
import { SECRET_VARS } from "../../../src/steps/way-back/policy-body.js";

const template = JSON.parse(
  readFileSync(new URL("../../../templates/fleet/package-policy.json", import.meta.url), "utf8"),
);
const pkg = defaultCatalogue().find((p) => p.version === "1.2.0")!;

describe("templates/fleet/package-policy.json", () => {
  it("uses the input keys `<policy_template>-<input type>` of the package", () => {
    expect(Object.keys(template.inputs).sort()).toEqual(
      pkg.inputs.map((i) => `${pkg.policyTemplate}-${i.type}`).sort(),
    );
  });

  it("names only vars the package declares, on the right input and stream", () => {
    for (const [inputId, input] of Object.entries<any>(template.inputs)) {
      const def = pkg.inputs.find((i) => `${pkg.policyTemplate}-${i.type}` === inputId)!;
      for (const v of Object.keys(input.vars ?? {})) expect(def.vars.map((d) => d.name)).toContain(v);
      for (const [sid, s] of Object.entries<any>(input.streams ?? {})) {
        const sdef = pkg.streams.find((x) => x.dataset === sid && x.input === def.type)!;
        expect(sdef, `${inputId} ${sid}`).toBeDefined();
        for (const v of Object.keys(s.vars ?? {})) expect(sdef.vars.map((d) => d.name)).toContain(v);
      }
    }
  });

  it("puts secret inputs only into vars the package marks secret", () => {
    const secretDefs = new Set(
      [...pkg.inputs.flatMap((i) => i.vars), ...pkg.streams.flatMap((s) => s.vars)]
        .filter((d) => d.secret)
        .map((d) => d.name),
    );
    for (const v of SECRET_VARS) expect(secretDefs.has(v), v).toBe(true);
    const text = JSON.stringify(template);
    for (const placeholder of ["clientSecret", "eventHubConnectionString", "storageAccountKey", "clientId"]) {
      const m = new RegExp(`"(\\w+)":"\\{\\{${placeholder}\\}\\}"`).exec(text);
      expect(m && secretDefs.has(m[1]!), placeholder).toBe(true);
    }
  });

  it("enables both cel streams explicitly, since the package defaults them to disabled", () => {
    const streams = template.inputs["microsoft_sentinel-cel"].streams;
    expect(streams["microsoft_sentinel.alert"].enabled).toBe(true);
    expect(streams["microsoft_sentinel.incident"].enabled).toBe(true);
    expect(pkg.streams.filter((s) => s.input === "cel").every((s) => s.enabled === false)).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { alertEchoFilter, incidentEchoFilter } from "../../../src/steps/way-back/echo-filter.js";
import { drops, encodeLikeCel, re2ToJs } from "./beats-condition.js";
import { WORKSPACE_ID } from "./helpers.js";
import { otherAlerts, otherIncidents, ourAlerts, ourIncidents } from "./samples.js";

const inputs = { workspaceId: WORKSPACE_ID, prefix: "elastic-sentinel" };
const incidentProcessors = parse(incidentEchoFilter(inputs));
const alertProcessors = parse(alertEchoFilter(inputs));
const event = (x: unknown) => ({ message: encodeLikeCel(x), tags: ["forwarded", "microsoft_sentinel-incident"] });

describe("echo filter on the incident stream", () => {
  it.each(Object.entries(ourIncidents))("drops our own incident: %s", (_, incident) => {
    expect(drops(incidentProcessors, event(incident))).toBe(true);
  });

  it.each(Object.entries(otherIncidents))("keeps other incidents: %s", (_, incident) => {
    expect(drops(incidentProcessors, event(incident))).toBe(false);
  });

  it("keeps the CEL input's error events", () => {
    expect(drops(incidentProcessors, { error: { code: "401", message: "GET: unauthorized" } })).toBe(false);
  });
});

describe("echo filter on the alert stream", () => {
  it.each(Object.entries(ourAlerts))("drops our own alert: %s", (_, alert) => {
    expect(drops(alertProcessors, event(alert))).toBe(true);
  });

  it.each(Object.entries(otherAlerts))("keeps other alerts: %s", (_, alert) => {
    expect(drops(alertProcessors, event(alert))).toBe(false);
  });

  it("keeps the alert program's 'retry' placeholder events", () => {
    expect(drops(alertProcessors, { message: "retry" })).toBe(false);
  });
});

describe("echo filter shape", () => {
  it("is one drop_event whose condition is an `or` of regexp conditions on `message`", () => {
    for (const processors of [incidentProcessors, alertProcessors]) {
      expect(Array.isArray(processors)).toBe(true);
      expect(processors).toHaveLength(1);
      expect(Object.keys(processors[0])).toEqual(["drop_event"]);
      const or = processors[0].drop_event.when.or as Record<string, Record<string, string>>[];
      expect(or.length).toBeGreaterThan(0);
      for (const c of or) {
        expect(Object.keys(c)).toEqual(["regexp"]);
        expect(Object.keys(c.regexp!)).toEqual(["message"]);
        // Each pattern is in the RE2/JavaScript common subset (re2ToJs throws otherwise).
        expect(() => re2ToJs(c.regexp!.message!)).not.toThrow();
      }
    }
  });

  it("names our analytics rule, so another instance's rule is not matched", () => {
    expect(incidentEchoFilter(inputs)).not.toBe(incidentEchoFilter({ ...inputs, prefix: "other-prefix" }));
  });

  it("carries no template comments or unrendered placeholders into the policy", () => {
    for (const text of [incidentEchoFilter(inputs), alertEchoFilter(inputs)]) {
      expect(text).not.toMatch(/^#/m);
      expect(text).not.toContain("{{");
    }
  });
});

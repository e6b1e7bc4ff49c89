/** KQL subset used by rule execution (kbn-es-query grammar.peggy semantics, approximated without mappings). */
import { describe, expect, it } from "vitest";
import { compileKql } from "../../../src/sandbox/elastic/kql/evaluate.js";
import { KqlSyntaxError, parseKql } from "../../../src/sandbox/elastic/kql/parse.js";

const doc = {
  "@timestamp": "2026-01-01T00:00:00Z",
  event: { category: "authentication", outcome: "failure" },
  "host.name": "web-01",
  message: "user login failed badly",
  destination: { port: 443 },
  tags: ["prod", "eu"],
};
const matches = (q: string) => compileKql(q, Date.parse("2026-01-01T00:05:00Z"))(doc);

describe("KQL", () => {
  it.each([
    ["field:value on nested and dotted keys", "event.category:authentication and host.name:web-01", true],
    ["values are case-sensitive on keyword-like fields", "event.category:AUTHENTICATION", false],
    ["field names are case-sensitive", "EVENT.category:authentication", false],
    ["a quoted phrase matches words in order", 'message:"login failed"', true],
    ["a quoted phrase does not match words out of order", 'message:"failed login"', false],
    ["unquoted words match any word of a text field", "message:failed", true],
    ["a wildcard value", "host.name:web-*", true],
    ["a wildcard does not match across a different prefix", "host.name:db-*", false],
    ["field:* is exists", "host.name:*", true],
    ["field:* on a missing field", "nothing:*", false],
    ["not", "not host.name:db-01", true],
    ["or", "host.name:db-01 or event.outcome:failure", true],
    ["and binds tighter than or", "host.name:db-01 and event.outcome:x or tags:prod", true],
    ["parentheses group", "host.name:db-01 and (event.outcome:x or tags:prod)", false],
    ["value groups: field:(a or b)", "event.outcome:(success or failure)", true],
    ["numbers compare by value", "destination.port:443", true],
    ["range operators", "destination.port >= 400 and destination.port < 500", true],
    ["range on dates with date math", '@timestamp > "now-10m"', true],
    ["arrays match any element", "tags:eu", true],
    ["free text searches every field", "badly", true],
    ["keywords are case-insensitive", "host.name:web-01 AND NOT tags:dev", true],
    ["an empty query matches everything", "", true],
  ])("%s", (_name, query, expected) => {
    expect(matches(query)).toBe(expected);
  });

  it.each([
    ["nested field queries are rejected by name", "user:{ name: alice }", /nested field queries/],
    ["an unclosed parenthesis", "a:(b or c", /expected "\)"/],
    ["an unterminated quote", 'a:"b', /unterminated quoted string/],
    ["a dangling operator", "a:b and", /unexpected end of query/],
  ])("%s raises KqlSyntaxError", (_name, query, message) => {
    expect(() => parseKql(query)).toThrow(KqlSyntaxError);
    expect(() => parseKql(query)).toThrow(message);
  });
});

import { describe, expect, it } from "vitest";
import { kqlSyntaxProblem } from "../../src/kibana/kql-check.js";

describe("KQL pre-check", () => {
  it.each([
    "message:malware",
    'message:"a (quoted) \\" value" and host.name:web-*',
    "not (event.code:4625 or event.code:4624) and user.name:*",
    "malware",
    "event.category:(process or network)",
    'process.name:"cmd.exe"',
    'process.name: "cmd.exe"',
    'event.code:4625 and process.name:"cmd.exe"',
    'process.name:("cmd.exe" or "powershell.exe")',
  ])("accepts %s", (q) => {
    expect(kqlSyntaxProblem(q)).toBeUndefined();
  });

  it.each([
    ['message:"malware', "double quote"],
    ["(message:malware", "not closed"],
    ["message:malware)", "closes nothing"],
    ["message:malware and", "ends with an operator"],
    ["or message:malware", "starts with an operator"],
    ["message:", "no value"],
    [`host.name:"x" and message:`, "no value"],
    ["   ", "empty"],
  ])("refuses %s (%s)", (q, why) => {
    expect(kqlSyntaxProblem(q)).toContain(why);
  });
});

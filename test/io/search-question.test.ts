/**
 * The `search` question: a list that filters as you type, where what is typed is an answer too. Driven through
 * the real prompt library on a fake terminal, through the non-interactive host (never lists) and the test host.
 */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { InteractiveIoHost, searchChoices } from "../../src/io/interactive-host.js";
import type { Question } from "../../src/io/io-host.js";
import { NonInteractiveIoHost } from "../../src/io/non-interactive-host.js";
import { createOutput } from "../../src/io/output.js";
import { captureStream } from "../helpers/streams.js";
import { TestIoHost } from "../helpers/test-io-host.js";

const regions = [
  { value: "westeurope", name: "West Europe" },
  { value: "northeurope", name: "North Europe" },
  { value: "eastus", name: "East US" },
];

const question = (extra: Partial<Extract<Question, { kind: "search" }>> = {}): Question => ({
  kind: "search",
  code: "input.azure.location",
  message: "Region",
  why: "New resources go to one region.",
  choices: regions,
  ...extra,
});

function terminal() {
  const input = new PassThrough() as PassThrough & { isTTY?: boolean; setRawMode?: (b: boolean) => void };
  input.isTTY = true;
  input.setRawMode = () => {};
  const promptOutput = new PassThrough();
  let drawn = "";
  promptOutput.on("data", (c: Buffer) => {
    drawn += c.toString("utf8");
  });
  const stderr = captureStream();
  const host = new InteractiveIoHost({
    output: createOutput({ stdout: captureStream(), stderr }),
    input,
    promptOutput: promptOutput as unknown as NodeJS.WritableStream,
  });
  // The latest frame: what follows the last time the question was drawn.
  const frame = () => {
    const plain = drawn.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
    return plain.slice(plain.lastIndexOf("Region"));
  };
  return { host, input, stderr, drawn: () => drawn, frame };
}

/** Wait (bounded) until the prompt has drawn what `seen` looks for: its list and checks are promises. */
let lastSeen = "";
async function until(seen: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (seen()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`the prompt never showed ${what}: ${JSON.stringify(lastSeen)}`);
}

/** Once the prompt is drawn (keys sent before are lost), type text, then wait until its latest frame shows `expect`. */
async function type(input: PassThrough, text: string, frame: () => string, expect: string): Promise<void> {
  await until(() => frame().includes("navigate"), "the list");
  for (const k of text) input.write(k);
  await until(() => {
    lastSeen = frame();
    return lastSeen.includes(expect);
  }, expect);
}

describe("searchChoices: what the list shows for a term", () => {
  it("keeps the choices whose name or value contains the term, any case, and offers the term as typed", () => {
    expect(searchChoices(regions, "EUROPE").map((c) => c.value)).toEqual(["westeurope", "northeurope", "EUROPE"]);
  });
  it("does not repeat a term that is exactly one of the values", () => {
    expect(searchChoices(regions, "eastus").map((c) => c.value)).toEqual(["eastus"]);
  });
  it("an empty term shows everything", () => {
    expect(searchChoices(regions, "  ")).toHaveLength(3);
  });
});

describe("the interactive host asks a search question with the real prompt", () => {
  it("filters as you type and Enter takes the highlighted match; the reason is shown first", async () => {
    const { host, input, stderr, frame } = terminal();
    const answer = host.ask(question());
    await type(input, "north", frame, "❯ North Europe");
    input.write("\r");
    expect(await answer).toBe("northeurope");
    expect(stderr.text).toContain("New resources go to one region.");
  });

  it("takes what was typed when it is not listed (a pasted id), after the question's own check", async () => {
    const { host, input, frame } = terminal();
    const answer = host.ask(question({ validate: (v) => (/^[a-z0-9]+$/.test(v) ? true : "letters and digits only") }));
    await type(input, "x-", frame, "❯ x-");
    input.write("\r");
    await until(() => frame().includes("letters and digits only"), "the reason the answer was refused");
    await type(input, "\x7f\x7fmyregion", frame, "❯ myregion");
    input.write("\r");
    expect(await answer).toBe("myregion");
  });
});

describe("the non-interactive host never lists", () => {
  it("answers a search question with its default, or fails naming the input", async () => {
    const host = new NonInteractiveIoHost({
      output: createOutput({ stdout: captureStream(), stderr: captureStream() }),
    });
    expect(await host.ask(question({ default: "eastus" }))).toBe("eastus");
    const error = await host.ask(question()).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.problems[0].key).toBe("azure.location");
  });
});

describe("the test host answers scripted questions", () => {
  it("takes a list of answers one per asking", async () => {
    const host = new TestIoHost({ answers: { "input.azure.location": ["eastus", "westeurope"] } });
    expect(await host.ask(question())).toBe("eastus");
    expect(await host.ask(question())).toBe("westeurope");
    await expect(host.ask(question())).rejects.toThrow(/no answer left/);
  });

  it("refuses a select answer that is not one of the choices, then takes the next", async () => {
    const host = new TestIoHost({ answers: { pick: ["mars", "eastus"] } });
    const select: Question = { kind: "select", code: "pick", message: "Region", choices: regions };
    expect(await host.ask(select)).toBe("eastus");
    expect(host.rejected).toEqual([{ code: "pick", answer: "mars", reason: expect.stringContaining("not one of") }]);
  });

  it("a single refused answer fails the test at once (asking again would repeat it)", async () => {
    const host = new TestIoHost({ answers: { pick: "mars" } });
    const select: Question = { kind: "select", code: "pick", message: "Region", choices: regions };
    await expect(host.ask(select)).rejects.toThrow(/rejected/);
  });
});

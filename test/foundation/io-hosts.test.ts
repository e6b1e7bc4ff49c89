import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { isInteractive } from "../../src/commands/context.js";
import { AbortedError, InputError } from "../../src/errors.js";
import { InteractiveIoHost } from "../../src/io/interactive-host.js";
import { NonInteractiveIoHost } from "../../src/io/non-interactive-host.js";
import { createOutput } from "../../src/io/output.js";
import { captureStream } from "../helpers/streams.js";

const tty = { isTTY: true } as NodeJS.ReadableStream & { isTTY?: boolean };
const pipe = { isTTY: false } as NodeJS.ReadableStream & { isTTY?: boolean };
const term = (isTTY: boolean) => ({ isTTY, write: (): boolean => true });

describe("interactive only when stdin and stdout are terminals and nothing says otherwise", () => {
  it.each([
    ["both terminals", {}, { stdin: tty, stdout: term(true) }, {}, true],
    ["stdin is a pipe", {}, { stdin: pipe, stdout: term(true) }, {}, false],
    ["stdout is a pipe", {}, { stdin: tty, stdout: term(false) }, {}, false],
    ["--non-interactive", { nonInteractive: true }, { stdin: tty, stdout: term(true) }, {}, false],
    ["--json", { json: true }, { stdin: tty, stdout: term(true) }, {}, false],
    ["CI=true", {}, { stdin: tty, stdout: term(true) }, { CI: "true" }, false],
  ])("%s", (_name, options, streams, env, expected) => {
    expect(isInteractive(options, { ...streams, env })).toBe(expected);
  });
});

function nonInteractive(assumeYes = false) {
  const stderr = captureStream();
  const host = new NonInteractiveIoHost({ output: createOutput({ stdout: captureStream(), stderr }), assumeYes });
  return { host, stderr };
}

describe("the non-interactive host never prompts", () => {
  it("answers a question with a default from the default and says so", async () => {
    const { host, stderr } = nonInteractive();
    expect(
      await host.ask({ kind: "text", code: "input.elastic.space", message: "Kibana space", default: "default" }),
    ).toBe("default");
    expect(stderr.text).toContain("Kibana space: default (non-interactive: the default)");
  });

  it("a question without a default is an InputError naming the input's flag, env var and config key", async () => {
    const { host } = nonInteractive();
    const error = await host
      .ask({ kind: "text", code: "input.elastic.kibanaUrl", message: "Kibana URL" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.problems[0].where).toBe("--kibana-url, KIBANA_URL, or elastic.kibanaUrl in the config file");
  });

  it("never approves a destructive confirmation without --yes, whatever its default", async () => {
    const { host } = nonInteractive();
    await expect(
      host.ask({ kind: "confirm", code: "confirm.delete", message: "Delete?", default: true, destructive: true }),
    ).rejects.toMatchObject({ code: "CONFIRMATION_REQUIRED", exitCode: 3 });
  });

  it("approves a destructive confirmation with --yes", async () => {
    const { host } = nonInteractive(true);
    expect(await host.ask({ kind: "confirm", code: "c", message: "Delete?", default: false, destructive: true })).toBe(
      true,
    );
  });

  it("a non-destructive confirmation takes its default without --yes", async () => {
    const { host } = nonInteractive();
    expect(await host.ask({ kind: "confirm", code: "c", message: "Go on?", default: true })).toBe(true);
    expect(await host.ask({ kind: "confirm", code: "c", message: "Also this?", default: false })).toBe(false);
  });

  it("results are suppressed with --json (the document is the only stdout)", () => {
    const stdout = captureStream();
    const host = new NonInteractiveIoHost({ output: createOutput({ stdout, stderr: captureStream(), json: true }) });
    host.result("a table");
    expect(stdout.text).toBe("");
  });

  it("progress on a non-terminal is plain lines on stderr, no spinner control codes", () => {
    const { host, stderr } = nonInteractive();
    const p = host.progress("Reading connectors");
    p.succeed("Connectors: up to date");
    expect(stderr.text).toBe("Reading connectors …\n✓ Connectors: up to date\n");
  });

  it("NO_COLOR and non-terminals get plain text", () => {
    const stderr = captureStream(true);
    const host = new NonInteractiveIoHost({
      output: createOutput({ stdout: captureStream(), stderr, env: { NO_COLOR: "1" } }),
    });
    host.message("warn", "careful");
    expect(stderr.text).not.toMatch(/\x1b\[/);
    expect(stderr.text).toBe("Warning: careful\n");
  });
});

describe("the interactive host", () => {
  function terminal() {
    const input = new PassThrough() as PassThrough & { isTTY?: boolean; setRawMode?: (b: boolean) => void };
    input.isTTY = true;
    input.setRawMode = () => {};
    const promptOutput = new PassThrough();
    promptOutput.resume();
    const host = new InteractiveIoHost({
      output: createOutput({ stdout: captureStream(), stderr: captureStream() }),
      input,
      promptOutput: promptOutput as unknown as NodeJS.WritableStream,
    });
    return { host, input };
  }

  it("Ctrl-C at a prompt becomes AbortedError (exit 130)", async () => {
    const { host, input } = terminal();
    const answer = host.ask({ kind: "text", code: "input.elastic.kibanaUrl", message: "Kibana URL" });
    input.write("\x03");
    const error = await answer.catch((e) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(error.exitCode).toBe(130);
  });

  it("--yes accepts confirmations without asking", async () => {
    const host = new InteractiveIoHost({
      output: createOutput({ stdout: captureStream(), stderr: captureStream() }),
      assumeYes: true,
    });
    expect(await host.ask({ kind: "confirm", code: "c", message: "Delete?", default: false, destructive: true })).toBe(
      true,
    );
  });
});

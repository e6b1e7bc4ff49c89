/**
 * Teardown's key rotation is best effort: a principal that may delete the workflows but not regenerate their
 * keys (403) still tears down (the step says so); any other failure still stops the run. setup --rotate-keys is
 * never best effort.
 */
import { describe, expect, it } from "vitest";
import { AuthError, RemoteError } from "../../src/errors.js";
import { resolveNames } from "../../src/names.js";
import { azureRotateKeys, azureTeardownRotateKeys } from "../../src/steps/azure/access-keys.js";
import type { Change, StepContext } from "../../src/engine/types.js";
import { makeConfig, makeContext } from "../steps/kibana/helpers.js";

function contextWith(fail: () => never) {
  const config = makeConfig();
  const ctx = makeContext(config);
  const lines: string[] = [];
  const calls: string[] = [];
  const io = {
    ...ctx.io,
    progress: (text: string) => ({
      update() {},
      succeed: (t: string) => lines.push(`ok ${t ?? text}`),
      fail: (t: string) => lines.push(`fail ${t ?? text}`),
      stop() {},
    }),
  };
  const clients = {
    ...ctx.clients,
    azure: async () => ({
      arm: {
        regenerateAccessKey: async (_rg: string, name: string) => {
          calls.push(name);
          return fail();
        },
      },
    }),
  };
  return { ctx: { ...ctx, io, clients, names: resolveNames(config) } as unknown as StepContext, lines, calls };
}

const rows = (step: string): Change[] =>
  ["elastic-sentinel-case-sync", "elastic-sentinel-alert-ingest"].map((name) => ({
    step,
    target: "azure",
    resource: "Logic App access key",
    name,
    action: "update",
    reason: "",
  }));

const forbidden = (): never => {
  throw new AuthError("Azure answered 403 AuthorizationFailed", { code: "AZURE_FORBIDDEN" });
};

describe("teardown's key rotation", () => {
  it("a 403 on regenerateAccessKey is said and skipped: every workflow is still tried, nothing throws", async () => {
    const { ctx, lines, calls } = contextWith(forbidden);
    await azureTeardownRotateKeys.apply(ctx, rows(azureTeardownRotateKeys.id));
    expect(calls).toEqual(["elastic-sentinel-case-sync", "elastic-sentinel-alert-ingest"]);
    expect(lines.every((l) => l.startsWith("fail ") && l.includes("regenerateAccessKey/action"))).toBe(true);
  });

  it("another failure still stops teardown", async () => {
    const { ctx } = contextWith(() => {
      throw new RemoteError("Azure answered 500", { code: "AZURE_SERVER_ERROR", remote: "azure", status: 500 });
    });
    await expect(azureTeardownRotateKeys.apply(ctx, rows(azureTeardownRotateKeys.id))).rejects.toThrow(/500/);
  });

  it("setup --rotate-keys is not best effort: a 403 stops it", async () => {
    const { ctx } = contextWith(forbidden);
    await expect(azureRotateKeys.apply(ctx, rows(azureRotateKeys.id))).rejects.toBeInstanceOf(AuthError);
  });
});

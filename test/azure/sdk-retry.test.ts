/**
 * The ARM SDK client's retry policy (src/azure/sdk-retry.ts): what it retries is what the SDK's default policy
 * retries; only the wait is the caller's.
 */
import { createHttpHeaders, createPipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { retryWait, sdkRetryPolicy } from "../../src/azure/sdk-retry.js";

const request = createPipelineRequest({ url: "https://127.0.0.1:8443/x", method: "PUT" });
const response = (status: number, headers: Record<string, string> = {}): PipelineResponse => ({
  status,
  headers: createHttpHeaders(headers),
  request,
});
const socketError = (code: string) => Object.assign(new Error(code), { name: "RestError", code });

describe("which responses are asked again, and after how long", () => {
  it("429 and 503 wait their Retry-After (ms headers first, then seconds, capped at 64 s)", () => {
    expect(retryWait(response(429, { "retry-after": "7" }), 0)).toBe(7000);
    expect(retryWait(response(503, { "retry-after-ms": "250", "retry-after": "7" }), 0)).toBe(250);
    expect(retryWait(response(429, { "x-ms-retry-after-ms": "40" }), 0)).toBe(40);
    expect(retryWait(response(429, { "retry-after": "600" }), 0)).toBe(64_000);
  });

  it("408 and 5xx other than 501 and 505 back off exponentially; everything else is final", () => {
    expect(retryWait(response(408), 0)).toBe(1000);
    expect(retryWait(response(500), 1)).toBe(2000);
    expect(retryWait(response(503), 2)).toBe(4000);
    expect(retryWait(response(502), 10)).toBe(64_000);
    for (const final of [200, 201, 400, 404, 409, 501, 505]) expect(retryWait(response(final), 0)).toBeUndefined();
  });
});

describe("the policy", () => {
  it("retries socket failures up to the bound, waiting by the given sleep; other errors at once", async () => {
    const waits: number[] = [];
    const policy = sdkRetryPolicy({ maxRetries: 2, sleep: async (ms) => void waits.push(ms) });
    let calls = 0;
    const flaky = async () => {
      calls++;
      if (calls <= 2) throw socketError("ECONNRESET");
      return response(200);
    };
    expect((await policy.sendRequest(request, flaky)).status).toBe(200);
    expect(calls).toBe(3);
    expect(waits).toEqual([1000, 2000]);

    calls = 0;
    const down = async () => {
      calls++;
      throw socketError("ECONNREFUSED");
    };
    await expect(policy.sendRequest(request, down)).rejects.toThrow("ECONNREFUSED");
    expect(calls).toBe(3);

    calls = 0;
    const broken = async () => {
      calls++;
      throw new Error("certificate has expired");
    };
    await expect(policy.sendRequest(request, broken)).rejects.toThrow("certificate");
    expect(calls).toBe(1);
  });

  it("hands back the last retryable response once the retries are spent", async () => {
    const waits: number[] = [];
    const policy = sdkRetryPolicy({ maxRetries: 2, sleep: async (ms) => void waits.push(ms) });
    let calls = 0;
    const res = await policy.sendRequest(request, async () => {
      calls++;
      return response(503, { "retry-after": "1" });
    });
    expect(res.status).toBe(503);
    expect(calls).toBe(3);
    expect(waits).toEqual([1000, 1000]);
  });
});

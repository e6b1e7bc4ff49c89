/** Azure's HTTP client against a stand-in HTTPS server on 127.0.0.1 that stalls: a stalled GET is asked again, bounded. */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpClient, tlsOptionsFor } from "../../src/azure/pipeline.js";
import { exitCodeOf, type SentinelElasticError } from "../../src/errors.js";

const fixture = (f: string) => readFileSync(new URL(`../steps/kibana/fixtures/${f}`, import.meta.url), "utf8");

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
});

/** Stalls (never answers) the first `stalls` requests, then answers 200 JSON. */
async function standIn(stalls: number) {
  const seen: string[] = [];
  server = createServer({ cert: fixture("localhost.pem"), key: fixture("localhost.key") }, (req, res) => {
    seen.push(req.method!);
    req.resume();
    if (seen.length <= stalls) return;
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"ok":true}');
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return { seen, url: `https://127.0.0.1:${(server!.address() as AddressInfo).port}/subscriptions/x` };
}

// The bound must hold a whole request even on a loaded machine (a TLS
// handshake under load can take longer than 150 ms), so the bound is roomy (a stall costs one bound of real time).
const client = (timeoutMs = 1000) =>
  createHttpClient({ timeoutMs, sleep: async () => {}, tls: tlsOptionsFor([fixture("ca.pem")]) });

describe("Azure HTTP client: a stalled request", () => {
  it("a GET that stalls once is asked again and succeeds", async () => {
    const s = await standIn(1);
    const res = await (await client()).request<{ ok: boolean }>("GET", s.url);
    expect(res.body).toEqual({ ok: true });
    expect(s.seen).toEqual(["GET", "GET"]);
  });

  it("a GET that keeps stalling fails after a bounded number of attempts, saying a re-run continues", async () => {
    const s = await standIn(100);
    const e = (await (
      await client()
    )
      .request("GET", s.url, { what: "read the workspace" })
      .catch((x) => x)) as SentinelElasticError;
    expect(e.code).toBe("AZURE_TIMEOUT");
    expect(e.message).toMatch(/read the workspace: .* did not answer GET \/subscriptions\/x .*\(2 attempts\)/);
    expect(e.suggestion).toMatch(/re-run: it continues/);
    expect(exitCodeOf(e)).toBe(1);
    expect(s.seen).toHaveLength(2);
  });

  it("a PUT that stalls is not repeated", async () => {
    const s = await standIn(1);
    const e = (await (await client()).request("PUT", s.url, { body: {} }).catch((x) => x)) as SentinelElasticError;
    expect(e.code).toBe("AZURE_TIMEOUT");
    expect(s.seen).toEqual(["PUT"]);
  });
});

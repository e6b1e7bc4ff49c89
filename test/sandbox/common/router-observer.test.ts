/**
 * The router's generic observer: every request an emulator receives is seen (service, method, path without the
 * query, query, headers, raw body), before the emulator answers and whatever it answers; an observer that throws
 * does not disturb the request; once stopped, it sees nothing more.
 */
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ObservedRequest, createRouter, observeSandboxRequests } from "../../../src/sandbox/common/router.js";

const router = createRouter({ service: "test-service" }).on("POST", "/things/:id", (req) => ({
  status: 201,
  body: { id: req.params.id },
}));
const server = createServer((req, res) => void router.handle(req, res));
let base = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function send(method: string, path: string, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      { method, headers: { "x-test": "1", "content-type": "application/json" } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("observeSandboxRequests", () => {
  it("sees each request as it arrived, answered or not, and nothing after it stops", async () => {
    const seen: ObservedRequest[] = [];
    const stop = observeSandboxRequests((r) => seen.push(r));
    const stopThrowing = observeSandboxRequests(() => {
      throw new Error("an observer's own bug");
    });
    expect(await send("POST", "/things/7?api-version=1", '{"a":1}')).toBe(201);
    expect(await send("GET", "/nowhere")).toBe(404);
    stop();
    stopThrowing();
    expect(await send("POST", "/things/8", "{}")).toBe(201);
    expect(seen.map((r) => [r.service, r.method, r.path, r.query.get("api-version")])).toEqual([
      ["test-service", "POST", "/things/7", "1"],
      ["test-service", "GET", "/nowhere", null],
    ]);
    expect(seen[0]!.raw.toString()).toBe('{"a":1}');
    expect(seen[0]!.headers["x-test"]).toBe("1");
  });
});

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Two cores on every machine, CI's included. Many tests wait on child processes and sockets, so four workers
    // keep both cores busy: on an idle 2-core machine the suite took 324 s with two and 221 s with four (CPU then
    // about 1.9 cores). More would only add collect time.
    pool: "forks",
    poolOptions: { forks: { maxForks: 4, minForks: 1 } },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});

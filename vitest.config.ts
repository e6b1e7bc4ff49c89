import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Two cores on every machine, CI's included. Many tests wait on child processes and sockets, so four workers
    // keep both cores busy: on an idle 2-core machine the suite took 324 s with two and 221 s with four.
    //
    // isolate false: the files of a worker share its loaded modules instead of each file loading ~300 modules and
    // the SDKs again in a fresh process (that was about 70 s of the suite's CPU; 131-151 s wall with isolation,
    // 104-109 s without). What a module keeps per process is reset per file in test/setup/per-file.ts; tests put
    // back what they change in process.env. minForks = maxForks: with fewer, the pool ends idle workers whose
    // shared run is not finished and the run fails at the end with "Terminating worker thread".
    pool: "forks",
    poolOptions: { forks: { maxForks: 4, minForks: 4, isolate: false } },
    setupFiles: ["test/setup/per-file.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});

import { defineConfig } from "vitest/config";
export default defineConfig({ test: { include: ["test/**/*.test.ts"], pool: "forks", poolOptions: { forks: { maxForks: 1, execArgv: ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"] } }, testTimeout: 60000, hookTimeout: 60000 } });

/**
 * Runs before every test file. The files of one worker share its modules (vitest.config.ts: `isolate: false`), so
 * what a module keeps for the life of a process starts empty for each file here, as it would in a process of its
 * own: the redactor's registered secrets (one file's secret must not be masked in, or leak into, another's output).
 */
import { beforeAll } from "vitest";
import { clearRegisteredSecrets } from "../../src/redact.js";

beforeAll(() => clearRegisteredSecrets());

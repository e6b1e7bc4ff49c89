/** A minimal valid set of inputs, as environment variables, and temp folders for config files. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const VALID_ENV: Readonly<Record<string, string>> = {
  KIBANA_URL: "https://kibana.example.test:5601",
  ELASTICSEARCH_URL: "https://es.example.test:9200",
  ELASTIC_API_KEY: "test-api-key-value-1234",
  AZURE_SUBSCRIPTION_ID: "11111111-2222-3333-4444-555555555555",
  AZURE_RESOURCE_GROUP: "rg-soc",
  SENTINEL_WORKSPACE_NAME: "soc-workspace",
};

export interface TempDir {
  path: string;
  write(name: string, text: string): string;
  remove(): void;
}

export function tempDir(): TempDir {
  const path = mkdtempSync(join(tmpdir(), "sentinel-elastic-test-"));
  return {
    path,
    write(name, text) {
      const file = join(path, name);
      writeFileSync(file, text);
      return file;
    },
    remove() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}

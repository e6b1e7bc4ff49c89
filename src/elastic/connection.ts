/**
 * Where Kibana and Elasticsearch are and how we authenticate, from the resolved config (URLs, API key or
 * username/password, CA file, space). Secrets are registered with the redactor here,
 * so they are scrubbed from every later message.
 */
import { readFile } from "node:fs/promises";
import type { ResolvedConfig } from "../config/schema.js";
import { InputError } from "../errors.js";
import { registerSecret } from "../redact.js";
import { browserUrlHint, notKibanaBaseUrl } from "../kibana/base-url.js";

export type ElasticAuth = { kind: "apiKey"; apiKey: string } | { kind: "basic"; username: string; password: string };

export interface ElasticConnection {
  kibanaUrl: string;
  elasticsearchUrl: string;
  space: string;
  auth: ElasticAuth;
  /** Extra PEM CAs (the CA file and any override), or undefined to use Node's defaults only. */
  caCerts?: string[];
}

export function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

export function authorizationHeader(auth: ElasticAuth): string {
  return auth.kind === "apiKey"
    ? `ApiKey ${auth.apiKey}`
    : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
}

/**
 * The URLs as the config loader resolved them (config/load.ts: given, or filled in from the Cloud ID and
 * checked against it). Nothing is decoded or compared again here.
 */
export function resolveUrls(elastic: ResolvedConfig["elastic"]): { kibanaUrl: string; elasticsearchUrl: string } {
  const { kibanaUrl, elasticsearchUrl } = elastic;
  const missing = [];
  if (!kibanaUrl)
    missing.push({ key: "elastic.kibanaUrl", message: "missing", where: "--kibana-url, KIBANA_URL or --cloud-id" });
  if (!elasticsearchUrl)
    missing.push({
      key: "elastic.elasticsearchUrl",
      message: "missing",
      where: "--elasticsearch-url, ELASTICSEARCH_URL or --cloud-id",
    });
  if (missing.length) {
    throw new InputError("Kibana and Elasticsearch URLs are needed (or an Elastic Cloud ID).", {
      code: "ELASTIC_URL_MISSING",
      problems: missing,
    });
  }
  // A page address copied from the browser is known to be wrong before any request (see base-url.ts).
  if (browserUrlHint(kibanaUrl!)) {
    throw notKibanaBaseUrl(kibanaUrl!, "its path is a Kibana page (/app/… or /s/<space>), copied from the browser");
  }
  return { kibanaUrl: stripTrailingSlash(kibanaUrl!), elasticsearchUrl: stripTrailingSlash(elasticsearchUrl!) };
}

export function resolveAuth(elastic: ResolvedConfig["elastic"]): ElasticAuth {
  if (elastic.apiKey) {
    registerSecret(elastic.apiKey);
    return { kind: "apiKey", apiKey: elastic.apiKey };
  }
  if (elastic.username && elastic.password) {
    registerSecret(elastic.password);
    registerSecret(Buffer.from(`${elastic.username}:${elastic.password}`).toString("base64"));
    return { kind: "basic", username: elastic.username, password: elastic.password };
  }
  throw new InputError("Elastic credentials are needed: an API key, or a username and password.", {
    code: "ELASTIC_CREDENTIALS_MISSING",
    problems: [
      { key: "elastic.apiKey", message: "missing", where: "ELASTIC_API_KEY or elastic.apiKey in the config file" },
    ],
  });
}

export async function resolveConnection(
  config: ResolvedConfig,
  extraCaCerts: string[] = [],
): Promise<ElasticConnection> {
  const urls = resolveUrls(config.elastic);
  const auth = resolveAuth(config.elastic);
  const caCerts = [...extraCaCerts];
  if (config.elastic.caCertFile) {
    try {
      caCerts.push(await readFile(config.elastic.caCertFile, "utf8"));
    } catch (e) {
      throw new InputError(`Cannot read the CA certificate file ${config.elastic.caCertFile}.`, {
        code: "ELASTIC_CA_UNREADABLE",
        cause: e,
        problems: [
          {
            key: "elastic.caCertFile",
            message: (e as Error).message,
            where: "--elastic-ca-cert, ELASTIC_CA_CERT or elastic.caCertFile",
          },
        ],
      });
    }
  }
  return { ...urls, space: config.elastic.space, auth, caCerts: caCerts.length ? caCerts : undefined };
}

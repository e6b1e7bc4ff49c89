/**
 * Azure sign-in for the wizard: find a credential that works (the caller's, the one configured, else environment
 * variables of an app registration, else the Azure CLI), say which one and as whom; when none works, say why and
 * offer the others. The result is an authenticated Resource Manager client for the list calls.
 */
import type { TokenCredential } from "@azure/identity";
import { questionCode } from "../config/prompt.js";
import { findInput } from "../config/registry.js";
import type { ResolvedConfig } from "../config/schema.js";
import { readFile } from "node:fs/promises";
import { resolveCloud, scopeFor } from "../azure/cloud.js";
import { principalFromToken, selectCredential } from "../azure/credential.js";
import { createAzureLists, type AzureLists } from "../azure/lists.js";
import { createHttpClient, tlsOptionsFor } from "../azure/pipeline.js";
import { describeProblem, MAX_TRIES, type WizardState } from "./state.js";

type CredentialKind = ResolvedConfig["azure"]["credential"];

export interface AzureSession {
  lists: AzureLists;
  /** "the Azure CLI", … */
  kind: string;
  who?: string;
}

const OFFERED: { value: CredentialKind; name: string; description: string }[] = [
  { value: "cli", name: "Azure CLI", description: "run `az login` in another shell first, then choose this" },
  { value: "device-code", name: "Device code", description: "open a page on any device and enter a code" },
  { value: "browser", name: "Browser", description: "sign in in a browser on this machine" },
  {
    value: "environment",
    name: "Environment variables",
    description: "AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or a certificate) of an app registration",
  },
  {
    value: "managed-identity",
    name: "Managed identity",
    description: "this machine's identity (an Azure VM, a pipeline agent)",
  },
];

function azureConfig(state: WizardState, credential: CredentialKind): ResolvedConfig["azure"] {
  const p = state.partial() as { azure?: Partial<ResolvedConfig["azure"]> };
  return {
    cloud: p.azure?.cloud ?? "AzureCloud",
    endpoints: p.azure?.endpoints ?? {},
    tenantId: p.azure?.tenantId,
    subscriptionId: p.azure?.subscriptionId,
    credential,
  } as ResolvedConfig["azure"];
}

async function tryCredential(
  state: WizardState,
  kind: CredentialKind,
  supplied?: TokenCredential,
): Promise<AzureSession> {
  const azure = azureConfig(state, kind);
  const cloud = resolveCloud(azure);
  const cas = [...(state.options.overrides.azureCaCerts ?? [])];
  const caFile = state.str("azure.caCertFile");
  if (caFile) cas.push(await readFile(caFile, "utf8"));
  const tls = tlsOptionsFor(cas);
  const selected = await selectCredential(azure, cloud, tls, supplied, (text) => state.io.message("info", text));
  const scope = scopeFor(cloud.resourceManagerAudience);
  const token = await selected.credential.getToken(scope);
  if (!token) throw new Error("the credential returned no token");
  const http = await createHttpClient({
    credential: selected.credential,
    scope,
    tls,
    onHttp: state.options.overrides.onHttp,
    maxRetries: 1,
    timeoutMs: 30_000,
    ...(state.options.sleep ? { sleep: state.options.sleep } : {}),
  });
  return {
    lists: createAzureLists(http, cloud.resourceManager),
    kind: selected.kind,
    who: principalFromToken(token.token).name,
  };
}

function hasAppRegistrationEnv(env: NodeJS.ProcessEnv): boolean {
  return Boolean(
    env.AZURE_TENANT_ID && env.AZURE_CLIENT_ID && (env.AZURE_CLIENT_SECRET || env.AZURE_CLIENT_CERTIFICATE_PATH),
  );
}

function signedIn(state: WizardState, session: AzureSession): AzureSession {
  state.io.message("success", `Signed in to Azure with ${session.kind}${session.who ? ` as ${session.who}` : ""}.`);
  return session;
}

export async function signIn(state: WizardState): Promise<AzureSession> {
  const supplied = state.options.overrides.azureCredential;
  if (supplied) return signedIn(state, await tryCredential(state, "default", supplied));
  const failures: string[] = [];
  const configured = state.given("azure.credential") ? (state.get("azure.credential") as CredentialKind) : undefined;
  const candidates: CredentialKind[] = configured
    ? [configured]
    : [...(hasAppRegistrationEnv(state.options.env) ? (["environment"] as const) : []), "cli"];
  for (const kind of candidates) {
    try {
      const session = await tryCredential(state, kind);
      state.set("azure.credential", kind);
      return signedIn(state, session);
    } catch (error) {
      failures.push(`${kind}: ${describeProblem(error).split("\n")[0]}`);
    }
  }
  state.io.message("warn", `No Azure sign-in worked${failures.length ? `:\n  - ${failures.join("\n  - ")}` : "."}`);
  for (let attempt = 1; ; attempt++) {
    const kind = (await state.io.ask({
      kind: "select",
      code: questionCode(findInput("azure.credential")!),
      message: "Sign in to Azure with",
      why: "The Logic Apps, the data collection rule and the analytics rule are created with this sign-in.",
      choices: OFFERED,
      default: "cli",
    })) as CredentialKind;
    try {
      const session = await tryCredential(state, kind);
      state.set("azure.credential", kind);
      return signedIn(state, session);
    } catch (error) {
      if (attempt >= MAX_TRIES) throw error;
      state.problem(error);
    }
  }
}

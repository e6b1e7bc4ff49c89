/**
 * Which Azure credential signs us in (`azure.credential`), imported lazily so that `--help` and Kibana-only
 * runs never load @azure/identity. A caller-supplied credential (demo: the sandbox's) wins over config.
 */
import type { TokenCredential } from "@azure/identity";
import type { ResolvedConfig } from "../config/schema.js";
import type { AzureCloud } from "./cloud.js";
import type { TlsOptions } from "./pipeline.js";

export interface SelectedCredential {
  credential: TokenCredential;
  /** For messages: "Azure CLI", "environment variables", "supplied by the caller"… */
  kind: string;
}

const describe: Record<ResolvedConfig["azure"]["credential"], string> = {
  default: "the default credential chain",
  cli: "the Azure CLI",
  environment: "environment variables (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_CLIENT_SECRET…)",
  "device-code": "a device code sign-in",
  browser: "a browser sign-in",
  "managed-identity": "the managed identity of this machine",
};

export async function selectCredential(
  azure: ResolvedConfig["azure"],
  cloud: AzureCloud,
  tls: TlsOptions | undefined,
  supplied: TokenCredential | undefined,
  onDeviceCode?: (message: string) => void,
): Promise<SelectedCredential> {
  if (supplied) return { credential: supplied, kind: "the credential supplied by the caller" };
  const identity = await import("@azure/identity");
  const common = { authorityHost: cloud.authorityHost, tenantId: azure.tenantId, ...(tls ? { tlsOptions: tls } : {}) };
  let credential: TokenCredential;
  switch (azure.credential) {
    case "cli":
      credential = new identity.AzureCliCredential({ tenantId: azure.tenantId, subscription: azure.subscriptionId });
      break;
    case "environment":
      credential = new identity.EnvironmentCredential(common);
      break;
    case "device-code":
      credential = new identity.DeviceCodeCredential({
        ...common,
        // The SDK's default prints to stdout, which belongs to results (--json): show the code on stderr.
        userPromptCallback: (info) =>
          onDeviceCode ? onDeviceCode(info.message) : process.stderr.write(`${info.message}\n`),
      });
      break;
    case "browser":
      credential = new identity.InteractiveBrowserCredential(common);
      break;
    case "managed-identity":
      credential = new identity.ManagedIdentityCredential(common);
      break;
    default:
      credential = new identity.DefaultAzureCredential(common);
  }
  return { credential, kind: describe[azure.credential] };
}

/** Who a token says we are (for "signed in with the Azure CLI as …"). Reads claims only; never prints the token. */
export function principalFromToken(token: string): { name?: string; objectId?: string; tenantId?: string } {
  const part = token.split(".")[1];
  if (!part) return {};
  try {
    const claims = JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
    const str = (k: string) => (typeof claims[k] === "string" ? (claims[k] as string) : undefined);
    return {
      name: str("upn") ?? str("unique_name") ?? str("preferred_username") ?? str("app_displayname") ?? str("appid"),
      objectId: str("oid"),
      tenantId: str("tid"),
    };
  } catch {
    return {};
  }
}

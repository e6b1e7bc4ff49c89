/** Test helpers for the Azure sandbox: HTTPS calls trusting the sandbox CA, and small templates. */
import { request } from "node:https";
import type { AzureSandbox } from "../../../src/sandbox/azure/index.js";

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  text: string;
}

export function call(
  sb: AzureSandbox,
  method: string,
  url: string,
  opts: { token?: string | null; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    const payload = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    if (payload !== undefined) headers["content-type"] ??= "application/json";
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const r = request(url, { method, headers, ca: sb.caCert }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = text;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
      });
    });
    r.on("error", reject);
    if (payload !== undefined) r.write(payload);
    r.end();
  });
}

export async function armToken(sb: AzureSandbox, scope = "https://management.azure.com/.default"): Promise<string> {
  return (await sb.credential.getToken(scope))!.token;
}

/** ARM call as the deployer: `path` is relative to the resource manager endpoint. */
export async function arm(sb: AzureSandbox, method: string, path: string, body?: unknown): Promise<CallResult> {
  return call(sb, method, `${sb.endpoints.resourceManager}${path}`, { token: await armToken(sb), body });
}

export const RG = "rg-test";
export const WS = "ws-test";

export function rgPath(sb: AzureSandbox, rg = RG): string {
  return `/subscriptions/${sb.subscriptionId}/resourceGroups/${rg}`;
}

export function wsId(sb: AzureSandbox): string {
  return `${rgPath(sb)}/providers/Microsoft.OperationalInsights/workspaces/${WS}`;
}

export const sandboxOptions = {
  resourceGroups: [
    { name: RG, location: "westeurope" },
    { name: "rg-logic", location: "westeurope" },
  ],
  workspaces: [{ name: WS, resourceGroup: RG }],
};

/** A minimal Logic Apps definition with a Request trigger and a Response action. */
export function echoDefinition(): Record<string, unknown> {
  return {
    $schema:
      "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
    contentVersion: "1.0.0.0",
    triggers: { manual: { type: "Request", kind: "Http", inputs: { method: "POST", schema: {} } } },
    actions: {
      Response: {
        type: "Response",
        kind: "Http",
        inputs: { statusCode: 200, headers: { "Content-Type": "application/json" }, body: { echo: "@triggerBody()" } },
        runAfter: {},
      },
    },
    outputs: {},
  };
}

/** An @azure/arm-resources client for the sandbox (as the product would build one). */
export async function armClient(sb: AzureSandbox) {
  const { ResourceManagementClient } = await import("@azure/arm-resources");
  return new ResourceManagementClient(sb.credential, sb.subscriptionId, {
    endpoint: sb.endpoints.resourceManager,
    credentialScopes: ["https://management.azure.com/.default"],
    tlsOptions: { ca: sb.caCert },
  });
}

/** Deploy a template and wait; resolves with the final deployment (Succeeded or Failed) and its operations. */
export async function deploy(
  sb: AzureSandbox,
  name: string,
  template: unknown,
  parameters: Record<string, unknown> = {},
  rg = RG,
  mode: "Incremental" | "Complete" = "Incremental",
): Promise<{ state: string; deployment: any; operations: any[] }> {
  const client = await armClient(sb);
  try {
    await client.deployments.beginCreateOrUpdateAndWait(rg, name, {
      properties: {
        mode,
        template: template as Record<string, unknown>,
        parameters: parameters as never,
      },
    });
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 400) throw e;
  }
  const deployment = await client.deployments.get(rg, name);
  const operations = [];
  for await (const op of client.deploymentOperations.list(rg, name)) operations.push(op);
  return { state: deployment.properties?.provisioningState ?? "", deployment, operations };
}

export const templateOf = (resources: unknown[], extra: Record<string, unknown> = {}) => ({
  $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  contentVersion: "1.0.0.0",
  resources,
  ...extra,
});

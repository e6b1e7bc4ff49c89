/**
 * ARM deployments through @azure/arm-resources 6.1.0 (the last version with Deployments that runs on Node 20,
 * https://learn.microsoft.com/rest/api/resources/deployments): validate, what-if, create-or-update with our own polling loop (so progress is shown
 * and waits go through the caller's clock), and the nested error details of a failed deployment, read from
 * `deployments.get` and `deploymentOperations.list` because the LRO's own error is generic (§6.2).
 */
import type { TokenCredential } from "@azure/identity";
import type { ResourceManagementClient } from "@azure/arm-resources";
import { sdkRetryPolicy } from "./sdk-retry.js";
import type { HttpEvent } from "../engine/client-options.js";
import { RemoteError, type SentinelElasticError } from "../errors.js";
import { type AzureErrorBody, azureError, errorBodyOf, flattenErrorDetails } from "./errors.js";
import { credentialError, type TlsOptions } from "./pipeline.js";

export type WhatIfChangeType = "Create" | "Delete" | "Ignore" | "Deploy" | "NoChange" | "Modify" | "Unsupported";

export interface WhatIfChange {
  resourceId: string;
  changeType: WhatIfChangeType;
  unsupportedReason?: string;
  delta?: { path: string; propertyChangeType: string; before?: unknown; after?: unknown }[];
}

export interface DeploymentInput {
  resourceGroup: string;
  name: string;
  template: unknown;
  parameters: Record<string, unknown>;
}

export interface FailedOperation {
  resourceType?: string;
  resourceName?: string;
  messages: string[];
}

/** How to wait between polls: the step's `ctx.sleep`, so waits follow the run's clock and abort signal. */
export type Wait = (ms: number) => Promise<void>;

export interface DeploymentsApi {
  validate(d: DeploymentInput): Promise<void>;
  whatIf(d: DeploymentInput, wait?: Wait): Promise<WhatIfChange[]>;
  /** Deploys and waits; `onProgress` gets a line per poll ("3 of 7 resources done"). Throws with the failing resources. */
  deploy(
    d: DeploymentInput,
    o?: { onProgress?: (line: string) => void; wait?: Wait },
  ): Promise<{ outputs: Record<string, unknown> }>;
  failedOperations(resourceGroup: string, name: string): Promise<FailedOperation[]>;
}

export interface DeploymentsOptions {
  credential: TokenCredential;
  subscriptionId: string;
  resourceManager: string;
  scope: string;
  tls?: TlsOptions;
  pollIntervalMs?: number;
  onHttp?: (event: HttpEvent) => void;
  /** Waits between the SDK client's retries (src/azure/sdk-retry.ts); default real time. */
  sleep?: (ms: number) => Promise<void>;
}

const realWait: Wait = (ms) => new Promise((r) => setTimeout(r, ms));

const wrap = (d: DeploymentInput) => ({
  properties: {
    mode: "Incremental" as const,
    template: d.template as Record<string, unknown>,
    parameters: Object.fromEntries(Object.entries(d.parameters).map(([k, v]) => [k, { value: v }])),
  },
});

/** A RestError from the SDK → our typed error (same mapping as raw calls). */
function sdkError(e: unknown, method: string, url: string, what: string): unknown {
  if (/^(CredentialUnavailableError|AuthenticationError|AuthenticationRequiredError)$/.test((e as Error)?.name ?? "")) {
    return credentialError(e as Error, what);
  }
  const err = e as { name?: string; statusCode?: number; response?: { parsedBody?: unknown; bodyAsText?: string } };
  if (err?.name === "RestError" && err.statusCode) {
    let body = err.response?.parsedBody;
    if (body === undefined && err.response?.bodyAsText) {
      try {
        body = JSON.parse(err.response.bodyAsText);
      } catch {
        body = err.response.bodyAsText;
      }
    }
    const mapped = azureError(err.statusCode, body, { method, url, what });
    const lines = flattenErrorDetails(errorBodyOf(body));
    if (lines.length > 1) (mapped.details as Record<string, unknown>).nested = lines;
    return mapped;
  }
  return e;
}

export async function createDeploymentsApi(o: DeploymentsOptions): Promise<DeploymentsApi> {
  const { ResourceManagementClient } = await import("@azure/arm-resources");
  const client: ResourceManagementClient = new ResourceManagementClient(o.credential, o.subscriptionId, {
    endpoint: o.resourceManager,
    $host: o.resourceManager,
    credentialScopes: [o.scope],
    ...(o.tls ? { tlsOptions: o.tls } : {}),
    // The SDK's own retry policy waits on timers; ours retries the same responses and waits by `o.sleep`.
    retryOptions: { maxRetries: 0 },
  });
  client.pipeline.addPolicy(sdkRetryPolicy({ maxRetries: 2, sleep: o.sleep ?? realWait }), { phase: "Retry" });
  // --debug: every SDK call too, not only our raw ones (URLs are redacted by the receiver).
  if (o.onHttp) {
    const onHttp = o.onHttp;
    client.pipeline.addPolicy({
      name: "sentinel-elastic-http-events",
      async sendRequest(request, next) {
        const started = Date.now();
        try {
          const res = await next(request);
          onHttp({
            remote: "azure",
            method: request.method,
            url: request.url,
            status: res.status,
            durationMs: Date.now() - started,
          });
          return res;
        } catch (e) {
          onHttp({
            remote: "azure",
            method: request.method,
            url: request.url,
            durationMs: Date.now() - started,
            error: (e as Error).message,
          });
          throw e;
        }
      },
    });
  }
  const interval = o.pollIntervalMs ?? 2000;
  const url = (rg: string, name: string) =>
    `${o.resourceManager}/subscriptions/${o.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Resources/deployments/${name}`;

  async function failedOperations(resourceGroup: string, name: string): Promise<FailedOperation[]> {
    const out: FailedOperation[] = [];
    for await (const op of client.deploymentOperations.list(resourceGroup, name)) {
      const p = op.properties;
      if (p?.provisioningState !== "Failed") continue;
      const status = p.statusMessage as { error?: AzureErrorBody; status?: string } | undefined;
      const messages = flattenErrorDetails(status?.error ?? errorBodyOf(status));
      out.push({
        resourceType: p.targetResource?.resourceType,
        resourceName: p.targetResource?.resourceName,
        messages: messages.length ? messages : [p.statusCode ?? "Failed"],
      });
    }
    return out;
  }

  return {
    async validate(d) {
      let result: { error?: AzureErrorBody } | undefined;
      try {
        const poller = await client.deployments.beginValidate(d.resourceGroup, d.name, wrap(d));
        result = (await poller.pollUntilDone()) as { error?: AzureErrorBody };
      } catch (e) {
        throw sdkError(e, "POST", `${url(d.resourceGroup, d.name)}/validate`, `validating deployment ${d.name}`);
      }
      if (result?.error) {
        throw azureError(
          400,
          { error: result.error },
          { method: "POST", url: `${url(d.resourceGroup, d.name)}/validate`, what: `validating deployment ${d.name}` },
        );
      }
    },
    async whatIf(d, wait = realWait) {
      try {
        const poller = await client.deployments.beginWhatIf(d.resourceGroup, d.name, {
          properties: { ...wrap(d).properties, whatIfSettings: { resultFormat: "FullResourcePayloads" } },
        });
        while (!poller.isDone()) {
          await poller.poll();
          if (!poller.isDone()) await wait(interval);
        }
        const result = poller.getResult();
        if (result?.error) {
          throw azureError(
            400,
            { error: result.error },
            { method: "POST", url: `${url(d.resourceGroup, d.name)}/whatIf`, what: `what-if of ${d.name}` },
          );
        }
        return (result?.changes ?? []) as WhatIfChange[];
      } catch (e) {
        throw sdkError(e, "POST", `${url(d.resourceGroup, d.name)}/whatIf`, `what-if of deployment ${d.name}`);
      }
    },
    async deploy(d, { onProgress, wait = realWait } = {}) {
      let failure: unknown;
      try {
        const poller = await client.deployments.beginCreateOrUpdate(d.resourceGroup, d.name, wrap(d));
        while (!poller.isDone()) {
          await poller.poll();
          if (poller.isDone()) break;
          onProgress?.(await progressLine(d.resourceGroup, d.name));
          await wait(interval);
        }
        const result = poller.getResult();
        if (result?.properties?.provisioningState === "Succeeded") {
          return { outputs: (result.properties.outputs ?? {}) as Record<string, unknown> };
        }
      } catch (e) {
        failure = e;
      }
      // The LRO says only "The long-running operation has failed": read what failed, per resource.
      const mapped = sdkError(failure, "PUT", url(d.resourceGroup, d.name), `deploying ${d.name}`);
      if ((mapped as SentinelElasticError)?.exitCode === 4) throw mapped;
      let ops: FailedOperation[] = [];
      let top: string[] = [];
      try {
        const dep = await client.deployments.get(d.resourceGroup, d.name);
        top = flattenErrorDetails(dep.properties?.error as AzureErrorBody | undefined);
        ops = await failedOperations(d.resourceGroup, d.name);
      } catch {
        // keep what we have
      }
      if (!ops.length && !top.length && mapped instanceof Error && mapped !== failure) throw mapped;
      const lines = ops.length
        ? ops.map((op) => `${op.resourceType ?? "resource"} ${op.resourceName ?? ""}: ${op.messages.join("; ")}`)
        : top.length
          ? top
          : [String((failure as Error)?.message ?? "unknown failure")];
      const forbidden = lines.find((l) => /AuthorizationFailed|LinkedAuthorizationFailed/.test(l));
      if (forbidden) {
        const e = azureError(
          403,
          { error: { code: "AuthorizationFailed", message: forbidden.replace(/^[^:]*AuthorizationFailed: /, "") } },
          {
            method: "PUT",
            url: url(d.resourceGroup, d.name),
            what: `deploying ${d.name}`,
          },
        );
        (e.details as Record<string, unknown>).failures = lines;
        throw e;
      }
      throw new RemoteError(`deployment ${d.name} failed:\n  - ${lines.join("\n  - ")}`, {
        code: "AZURE_DEPLOYMENT_FAILED",
        remote: "azure",
        suggestion: `Fix the cause above and run again; the portal shows the same under resource group ${d.resourceGroup} → Deployments → ${d.name}.`,
        details: { failures: lines },
        cause: failure,
      });
    },
    failedOperations,
  };

  async function progressLine(resourceGroup: string, name: string): Promise<string> {
    let done = 0;
    let total = 0;
    try {
      for await (const op of client.deploymentOperations.list(resourceGroup, name)) {
        total++;
        if (op.properties?.provisioningState === "Succeeded") done++;
      }
    } catch {
      return `deploying ${name}…`;
    }
    return `deploying ${name}: ${done} of ${total} resources done`;
  }
}

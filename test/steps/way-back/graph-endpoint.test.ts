/**
 * Where the way back looks up service principals (src/azure/cloud.ts): each cloud's Microsoft Graph by default;
 * none when only Resource Manager is overridden (that environment's tokens stay off the public Graph); an
 * explicit `azure.endpoints.graph` always, with the token audience still the cloud's Graph.
 */
import { describe, expect, it } from "vitest";
import { resolveCloud } from "../../../src/azure/cloud.js";

describe("Microsoft Graph endpoint and audience per cloud", () => {
  it.each([
    ["AzureCloud", "https://graph.microsoft.com"],
    ["AzureUSGovernment", "https://graph.microsoft.us"],
    ["AzureChinaCloud", "https://microsoftgraph.chinacloudapi.cn"],
  ] as const)("%s uses %s as endpoint and audience", (cloud, graph) => {
    expect(resolveCloud({ cloud, endpoints: {} })).toMatchObject({ graph, graphAudience: graph });
  });

  it("Resource Manager overridden alone: no Graph endpoint", () => {
    const c = resolveCloud({ cloud: "AzureCloud", endpoints: { resourceManager: "https://127.0.0.1:8443" } });
    expect(c.graph).toBeUndefined();
  });

  it("an explicit Graph override is used even with Resource Manager overridden; the audience stays the cloud's", () => {
    const c = resolveCloud({
      cloud: "AzureUSGovernment",
      endpoints: { resourceManager: "https://127.0.0.1:8443", graph: "https://127.0.0.1:9443/" },
    });
    expect(c.graph).toBe("https://127.0.0.1:9443");
    expect(c.graphAudience).toBe("https://graph.microsoft.us");
  });
});

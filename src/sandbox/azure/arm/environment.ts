import type { AzureState } from "../state.js";

/** ARM's `environment()` for templates, pointing at this sandbox. */
export function environmentOf(state: AzureState, loginUrl: string): Record<string, unknown> {
  const e = state.endpoints;
  return {
    name: "AzureSandbox",
    gallery: `${e.portal}/gallery/`,
    graph: `${e.portal}/graph/`,
    portal: e.portal,
    graphAudience: "https://graph.windows.net/",
    activeDirectoryDataLake: "https://datalake.azure.net/",
    batch: "https://batch.core.windows.net/",
    media: "https://rest.media.azure.net",
    sqlManagement: "https://management.core.windows.net:8443/",
    vmImageAliasDoc: "",
    resourceManager: `${e.resourceManager}/`,
    authentication: {
      loginEndpoint: `${loginUrl}/`,
      audiences: ["https://management.core.windows.net/", "https://management.azure.com/"],
      tenant: "common",
      identityProvider: "AAD",
    },
    suffixes: {
      acrLoginServer: ".azurecr.io",
      azureDatalakeAnalyticsCatalogAndJob: "azuredatalakeanalytics.net",
      azureDatalakeStoreFileSystem: "azuredatalakestore.net",
      azureFrontDoorEndpointSuffix: "azurefd.net",
      keyvaultDns: ".vault.azure.net",
      sqlServerHostname: ".database.windows.net",
      storage: "core.windows.net",
    },
  };
}

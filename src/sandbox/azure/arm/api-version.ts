/**
 * `api-version` is required on every ARM call and must be one the provider serves for the type:
 * 400 MissingApiVersionParameter, 400 NoRegisteredProviderFound / InvalidApiVersionParameter
 * (https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-register-resource-provider).
 */
import { badRequest } from "../errors.js";

export const RESOURCES_API_VERSIONS = [
  "2016-09-01",
  "2018-05-01",
  "2019-05-01",
  "2019-10-01",
  "2020-06-01",
  "2020-10-01",
  "2021-01-01",
  "2021-04-01",
  "2022-09-01",
  "2023-07-01",
  "2024-03-01",
  "2024-07-01",
  "2024-11-01",
  "2025-03-01",
  "2025-04-01",
];

export function requireApiVersion(query: URLSearchParams): string {
  const v = query.get("api-version");
  if (!v)
    throw badRequest(
      "MissingApiVersionParameter",
      "The api-version query parameter (?api-version=) is required for all requests.",
    );
  return v;
}

export function checkResourcesApiVersion(v: string): void {
  if (!RESOURCES_API_VERSIONS.includes(v))
    throw badRequest(
      "InvalidApiVersionParameter",
      `The api-version '${v}' is invalid. The supported versions are '${RESOURCES_API_VERSIONS.join(",")}'.`,
    );
}

export function checkProviderApiVersion(
  type: string,
  v: string,
  supported: readonly string[],
  location = "global",
): void {
  if (!supported.includes(v))
    throw badRequest(
      "NoRegisteredProviderFound",
      `No registered resource provider found for location '${location}' and API version '${v}' for type '${type.split("/").slice(1).join("/")}'. The supported api-versions are '${supported.join(", ")}'. The supported locations are 'eastus, westeurope, global'.`,
    );
}

/**
 * Rules ARM applies to every resource write: locations must be regions the provider serves
 * (LocationNotAvailableForResourceType) and tags follow the tag limits
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations: at most 50
 * tags, names ≤ 512 characters, values ≤ 256, names without `<>%&\?/`).
 */
import { badRequest } from "../errors.js";

/** Public Azure regions (names as `az account list-locations` prints them). */
export const REGIONS = [
  "eastus",
  "eastus2",
  "southcentralus",
  "westus2",
  "westus3",
  "australiaeast",
  "southeastasia",
  "northeurope",
  "swedencentral",
  "uksouth",
  "westeurope",
  "centralus",
  "southafricanorth",
  "centralindia",
  "eastasia",
  "japaneast",
  "koreacentral",
  "canadacentral",
  "francecentral",
  "germanywestcentral",
  "italynorth",
  "norwayeast",
  "polandcentral",
  "spaincentral",
  "switzerlandnorth",
  "mexicocentral",
  "uaenorth",
  "brazilsouth",
  "israelcentral",
  "qatarcentral",
  "northcentralus",
  "westus",
  "japanwest",
  "westcentralus",
  "southindia",
  "westindia",
  "canadaeast",
  "ukwest",
  "koreasouth",
  "australiasoutheast",
  "australiacentral",
  "francesouth",
  "germanynorth",
  "norwaywest",
  "switzerlandwest",
  "uaecentral",
  "brazilsoutheast",
  "southafricawest",
  "eastus2euap",
  "centraluseuap",
  "newzealandnorth",
  "indonesiacentral",
  "malaysiawest",
  "chilecentral",
  "austriaeast",
  "belgiumcentral",
  "denmarkeast",
];

/** ARM accepts display names too ("West Europe"): compare without spaces, case-insensitively. */
export function normaliseLocation(location: string): string {
  return location.replace(/\s+/g, "").toLowerCase();
}

export function checkLocation(type: string, location: string): void {
  const n = normaliseLocation(location);
  if (n === "global") return;
  if (!REGIONS.includes(n))
    throw badRequest(
      "LocationNotAvailableForResourceType",
      `The provided location '${location}' is not available for resource type '${type}'. List of available regions for the resource type is '${REGIONS.join(",")}'.`,
    );
}

export function checkTags(tags: unknown): void {
  if (tags === undefined || tags === null) return;
  if (typeof tags !== "object" || Array.isArray(tags))
    throw badRequest("InvalidTemplate", "The 'tags' property must be an object of string values.");
  const entries = Object.entries(tags as Record<string, unknown>);
  if (entries.length > 50)
    throw badRequest("InvalidTagCount", `A resource can have at most 50 tags; got ${entries.length}.`);
  for (const [k, v] of entries) {
    if (k.length > 512 || /[<>%&\\?/]/.test(k))
      throw badRequest(
        "InvalidTagNameCharacters",
        `The tag name '${k}' has characters that are not allowed: '<,>,%,&,\\,?,/' or is longer than 512.`,
      );
    if (typeof v !== "string" || v.length > 256)
      throw badRequest("InvalidTag", `The value of tag '${k}' must be a string of at most 256 characters.`);
  }
}

/**
 * Elastic Cloud ID → Kibana and Elasticsearch URLs.
 * Format: `<label>:<base64 of "host[:port]$es-uuid$kibana-uuid">`; the URLs are https://<uuid>.<host>[:port].
 * (Same decoding as the Elasticsearch clients and elastic/synthetics `push` use.)
 */
export interface CloudIdUrls {
  elasticsearchUrl: string;
  kibanaUrl: string;
}

/** Returns the URLs, or a message saying what is wrong with the Cloud ID (never echoing it whole). */
export function decodeCloudId(cloudId: string): CloudIdUrls | string {
  const colon = cloudId.indexOf(":");
  const encoded = colon >= 0 ? cloudId.slice(colon + 1) : cloudId;
  if (!encoded || !/^[A-Za-z0-9+/=_-]+$/.test(encoded)) {
    return "is not a Cloud ID: expected <name>:<base64 text> as shown on the deployment page";
  }
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const [hostPort, esId, kibanaId] = decoded.split("$");
  if (!hostPort || !esId || !kibanaId || !/^[A-Za-z0-9.-]+(:\d+)?$/.test(hostPort)) {
    return "is not a Cloud ID: its base64 part does not decode to host$elasticsearch-id$kibana-id";
  }
  const [host, port] = hostPort.split(":");
  const suffix = port && port !== "443" ? `:${port}` : "";
  return {
    elasticsearchUrl: `https://${esId}.${host}${suffix}`,
    kibanaUrl: `https://${kibanaId}.${host}${suffix}`,
  };
}

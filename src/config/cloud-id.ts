/**
 * Elastic Cloud ID → Kibana and Elasticsearch URLs: the one decoder (the config loader and the prompt use it;
 * the clients read the URLs it filled in).
 *
 * Format: `<label>:<base64 of "host[:port]$es-id[:port]$kibana-id[:port]">`. Each id may carry its own port
 * (Elastic Cloud Enterprise writes `host$es-id:9243$kb-id:9243`); an id without one takes the host's port, and
 * the default is 443. The URL is `https://<id>.<host>[:port]`. This is how Kibana decodes it
 * (elastic/kibana `x-pack/plugins/fleet/common/services/decode_cloud_id.ts`: `extractPortFromName` on the host,
 * then on each id with the host's port as default) and elasticsearch-js `parseCloudId`.
 */
export interface CloudIdUrls {
  elasticsearchUrl: string;
  kibanaUrl: string;
}

const HOST = /^[A-Za-z0-9.-]+$/;

/** `name:port` → [name, port]; a part without a port gives `fallback`. */
function splitPort(part: string, fallback?: string): [string, string | undefined] {
  const m = /^(.*):(\d{1,5})$/.exec(part);
  return m ? [m[1]!, m[2]] : [part, fallback];
}

/** Returns the URLs, or a message saying what is wrong with the Cloud ID (never echoing it whole). */
export function decodeCloudId(cloudId: string): CloudIdUrls | string {
  const colon = cloudId.indexOf(":");
  const encoded = colon >= 0 ? cloudId.slice(colon + 1) : cloudId;
  if (!encoded || !/^[A-Za-z0-9+/=_-]+$/.test(encoded)) {
    return "is not a Cloud ID: expected <name>:<base64 text> as shown on the deployment page";
  }
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const [hostPart, esPart, kbPart] = decoded.split("$");
  const wrong = "is not a Cloud ID: its base64 part does not decode to host$elasticsearch-id$kibana-id";
  if (!hostPart || !esPart || !kbPart) return wrong;
  const [host, hostPort] = splitPort(hostPart.replace(/\/+$/, ""));
  const [esId, esPort] = splitPort(esPart, hostPort);
  const [kbId, kbPort] = splitPort(kbPart, hostPort);
  if (![host, esId, kbId].every((p) => HOST.test(p))) return wrong;
  const url = (id: string, port: string | undefined) =>
    `https://${id}.${host}${port && port !== "443" ? `:${port}` : ""}`;
  return { elasticsearchUrl: url(esId, esPort), kibanaUrl: url(kbId, kbPort) };
}

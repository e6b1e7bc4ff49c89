/** Calls a Logic App callback URL of the Azure sandbox as Kibana would. */
import { request } from "node:https";

/** POST an empty alert batch to `url` (trusting the sandbox's CA `ca`); the status the trigger answers. */
export function postCallback(ca: string, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", ca, headers: { "content-type": "application/json" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(JSON.stringify({ alerts: [] }));
  });
}

/** One HTTPS server per endpoint on 127.0.0.1, ephemeral port, sharing the sandbox certificate. */
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { Router } from "../common/router.js";
import type { SandboxCerts } from "./certs.js";

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export function listen(certs: SandboxCerts, router: Router): Promise<RunningServer> {
  const server: Server = createServer({ key: certs.key, cert: certs.cert }, (req, res) => {
    router.handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `https://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

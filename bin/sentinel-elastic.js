#!/usr/bin/env node
// Thin: check the Node version (the dependencies need >=20.19), then hand over to the compiled CLI.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(
    `sentinel-elastic needs Node.js 20.19 or newer; this is ${process.versions.node}. Install a current LTS from https://nodejs.org and try again.\n`,
  );
  process.exitCode = 1;
} else {
  import("../dist/cli.js").then(
    (cli) => cli.main(),
    (error) => {
      const missing = error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist");
      process.stderr.write(
        missing
          ? "sentinel-elastic is not built: run `npm run build` (npm install does it through `prepare`).\n"
          : `sentinel-elastic failed to start: ${error?.message ?? error}\n`,
      );
      process.exitCode = 1;
    },
  );
}

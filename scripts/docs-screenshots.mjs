// `node scripts/docs-screenshots.mjs`: regenerates the README's pictures in
// docs/ (the only command that writes there; `npm test` writes to
// test-results/). Builds first, then runs the specs that take them.
import { execFileSync } from "node:child_process";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", DOCS_SCREENSHOTS: "1" };
const run = (args) => execFileSync(process.execPath, args, { stdio: "inherit", env });
run(["node_modules/next/dist/bin/next", "build"]);
run(["node_modules/@playwright/test/cli.js", "test", "e2e/fresh.spec.ts", "--grep", "change e-mail through the dialog"]);
console.log("docs/relogin-dialog.png updated: review it, then commit it.");

// Generates the Prisma client for each provider. The generated code is
// provider-specific (ENVIRONMENT.md), so both exist and lib/db.ts picks one.
import { execFileSync } from "node:child_process";

const prisma = "node_modules/prisma/build/index.js";
for (const url of ["file:./data/app.db", "postgresql://localhost/unused"]) {
  execFileSync(process.execPath, [prisma, "generate"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
}

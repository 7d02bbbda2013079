import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";

// One config for both providers: DATABASE_URL picks the schema and its
// migrations, the same way lib/db.ts picks the client at run time.
const url = process.env.DATABASE_URL ?? "file:./data/app.db";
const postgres = /^postgres(ql)?:\/\//.test(url);

// Offline machines have no schema-engine binary and the CLI would try to
// download one before `generate` (which does not need it). Point it at a
// harmless file only when no real engine is installed, so machines that have
// the engine keep using it for `prisma migrate deploy/status`.
const enginesDir = path.join("node_modules", "@prisma", "engines");
const hasEngine =
  existsSync(enginesDir) && readdirSync(enginesDir).some((f) => f.startsWith("schema-engine"));
if (!hasEngine && !process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = "/bin/false";
}

export default defineConfig({
  schema: postgres ? "prisma/postgresql/schema.prisma" : "prisma/schema.prisma",
  migrations: { path: postgres ? "prisma/postgresql/migrations" : "prisma/migrations" },
  datasource: { url },
});

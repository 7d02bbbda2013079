import { rmSync } from "node:fs";

/** The throwaway database goes with the run (the server has it open; unlinking is fine). */
export default function globalTeardown() {
  const file = process.env.E2E_DB_FILE;
  if (!file) return;
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
}

// Types for scripts/test-plan.mjs (plain JS so `npm test` runs without a compiler).
export interface ServerTestRun {
  name: string;
  /** The TEST_DB the run gets. */
  db: "sqlite" | "postgresql";
  files: string[];
}
export declare function serverTestRuns(options: {
  only: string[];
  pg: boolean;
  find: (dir: string) => string[];
}): ServerTestRun[];

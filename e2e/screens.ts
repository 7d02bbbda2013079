import path from "node:path";

/**
 * Where a test's screenshot goes: test-results/screens/ (ignored by git), so
 * `npm test` leaves a clean clone clean. `node scripts/docs-screenshots.mjs`
 * sets DOCS_SCREENSHOTS=1 to write the README's pictures into docs/ instead.
 */
export function screenshotPath(name: string): string {
  return process.env.DOCS_SCREENSHOTS === "1" ? path.join("docs", name) : path.join("test-results", "screens", name);
}

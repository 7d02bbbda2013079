import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { screenshotPath } from "../../e2e/screens";

describe("test artefacts", () => {
  it("screenshots go to the ignored test-results/ folder unless the docs command asks", () => {
    delete process.env.DOCS_SCREENSHOTS;
    assert.equal(screenshotPath("x.png"), "test-results/screens/x.png");
    process.env.DOCS_SCREENSHOTS = "1";
    assert.equal(screenshotPath("x.png"), "docs/x.png");
    delete process.env.DOCS_SCREENSHOTS;
  });

  it("no e2e spec writes a file by a literal path into a tracked folder", () => {
    for (const file of readdirSync("e2e").filter((name) => name.endsWith(".ts"))) {
      const text = readFileSync(`e2e/${file}`, "utf8");
      assert.doesNotMatch(text, /path:\s*["'`](?!test-results\/)/, `${file} writes outside test-results/`);
    }
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildNotice, readyNotice } from "../../scripts/start-notice.mjs";

describe("npm start notices", () => {
  it("says what it is doing before the first build, and when a rebuild is needed", () => {
    assert.equal(buildNotice({ built: false, changed: false }), "Building the app, first start only… (about a minute)");
    assert.match(buildNotice({ built: true, changed: true }) ?? "", /^Rebuilding the app/);
    assert.equal(buildNotice({ built: true, changed: false }), null);
  });

  it("says when it is ready, with the URL", () => {
    assert.equal(readyNotice(3000), "Ready: open http://localhost:3000");
  });
});

import assert from "node:assert/strict";
import { before, beforeEach, describe, it } from "node:test";
import { createMemoryChannels } from "./channel";

// The store only runs in a browser: a stand-in `window` is enough.
Object.assign(globalThis, { window: globalThis });
let store: typeof import("./user-store");
before(async () => {
  store = await import("./user-store");
});
const ada = { id: "u1", email: "ada@example.com", name: "Ada", emailVerified: true };

describe("the current user", () => {
  let refetches = 0;
  const channels = createMemoryChannels();
  const otherTab = channels();
  const heard: unknown[] = [];
  otherTab.subscribe((message) => heard.push(message));
  beforeEach(() => {
    store.resetUserStore();
    refetches = 0;
    heard.length = 0;
    store.connectUserStore(channels(), () => void refetches++);
  });

  it("newer copies win, older ones change nothing, and other tabs hear of changes", () => {
    store.publishUser(ada, 1_000);
    store.publishUser({ ...ada, email: "new@example.com" }, 2_000);
    store.publishUser(ada, 1_500); // an answer overtaken by the change
    assert.equal(store.currentUser(ada).email, "new@example.com");
    assert.equal(heard.length, 2, "the stale copy is not broadcast");
  });

  it("two different copies from the same second ask the server once", async () => {
    store.publishUser(ada, 1_000);
    store.publishUser({ ...ada, name: "Ada K" }, 1_000);
    store.publishUser({ ...ada, name: "Ada L" }, 1_000);
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(refetches, 1);
  });

  it("another account's copy is not shown for this one", () => {
    store.publishUser({ ...ada, id: "u2", email: "other@example.com" }, 5_000);
    assert.equal(store.currentUser(ada).email, "ada@example.com");
  });
});

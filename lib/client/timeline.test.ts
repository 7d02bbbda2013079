import assert from "node:assert/strict";
import { before, beforeEach, describe, it } from "node:test";
import type { SessionInfo } from "./types";

// The timeline lives in localStorage; a Map stands in for it.
const store = new Map<string, string>();
Object.assign(globalThis, {
  window: { addEventListener() {}, removeEventListener() {} },
  localStorage: {
    getItem: (key: string) => store.get(key) ?? null,
    setItem: (key: string, value: string) => void store.set(key, value),
    removeItem: (key: string) => void store.delete(key),
  },
});
let timeline: typeof import("./timeline");
before(async () => {
  timeline = await import("./timeline");
});

const T0 = Date.parse("2026-12-01T10:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();
function session(accessExpiresAt: number, extra: Partial<SessionInfo> = {}): SessionInfo {
  return { id: "s1", fresh: false, freshUntil: null, accessExpiresAt: iso(accessExpiresAt), refreshExpiresAt: iso(T0 + 864e5), authTime: iso(T0), methods: ["password"], ...extra };
}
const kinds = () => timeline.timelineSnapshot().events.map((e) => e.kind);

describe("renewals the wrapper did not see", () => {
  beforeEach(() => {
    store.clear();
    timeline.recordSessionEvent({ kind: "signed-in", at: iso(T0), session: session(T0 + 900e3, { fresh: true, freshUntil: iso(T0 + 600e3) }) });
  });

  it("a page rendered with a newer, non-fresh token records the page-load hand-off's refresh", () => {
    timeline.notePageSession(session(T0 + 1800e3));
    assert.deepEqual(kinds(), ["signed-in", "refreshed"]);
    timeline.notePageSession(session(T0 + 1800e3));
    assert.deepEqual(kinds(), ["signed-in", "refreshed"], "the same token again is nothing new");
  });

  it("a newer fresh token with a new password check is a re-verification (a password change)", () => {
    timeline.notePageSession(session(T0 + 1800e3, { fresh: true, authTime: iso(T0 + 900e3), freshUntil: iso(T0 + 1500e3) }));
    assert.deepEqual(kinds(), ["signed-in", "re-verified"]);
  });

  it("the token the wrapper already reported, an older one, or another session: nothing", () => {
    timeline.notePageSession(session(T0 + 900e3));
    timeline.notePageSession(session(T0 + 100e3));
    assert.deepEqual(kinds(), ["signed-in"]);
  });

  it("a first sight of a session starts at its last proof; its next renewal is then recorded", () => {
    timeline.notePageSession(session(T0 + 1800e3, { id: "s2" }));
    assert.deepEqual(kinds(), ["signed-in"], "another session's story starts at the proof the server vouches for");
    assert.equal(timeline.timelineSnapshot().events[0].at, iso(T0));
    assert.equal(timeline.timelineSnapshot().events[0].accessExpiresAt, undefined, "a non-fresh token is not the one the proof produced");
    timeline.notePageSession(session(T0 + 2700e3, { id: "s2" }));
    assert.deepEqual(kinds(), ["signed-in", "refreshed"]);
  });
});

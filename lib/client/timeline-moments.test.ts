import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { freshForPhrase, timelineMoments } from "./timeline-moments";

const T0 = Date.parse("2026-12-01T10:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();
const kinds = (now: number, entries: Parameters<typeof timelineMoments>[0]) => timelineMoments(entries, now).map((m) => m.kind);

describe("timeline moments", () => {
  const signedIn = { kind: "signed-in" as const, at: iso(T0), accessExpiresAt: iso(T0 + 20e3), freshUntil: iso(T0 + 40e3) };

  it("says when the access token expired, and the renewal after it", () => {
    assert.deepEqual(kinds(T0 + 10e3, [signedIn]), ["signed-in"], "nothing has happened yet");
    assert.deepEqual(kinds(T0 + 21e3, [signedIn]), ["signed-in", "access-expired"]);
    const renewed = { kind: "refreshed" as const, at: iso(T0 + 25e3), accessExpiresAt: iso(T0 + 45e3), freshUntil: null };
    assert.deepEqual(kinds(T0 + 30e3, [signedIn, renewed]), ["signed-in", "access-expired", "refreshed"], "the renewal made a token that is not fresh: no window to end");
    assert.deepEqual(kinds(T0 + 46e3, [signedIn, renewed]), ["signed-in", "access-expired", "refreshed", "access-expired"]);
  });

  it("says when the fresh window ended while the fresh token was current", () => {
    const long = { ...signedIn, accessExpiresAt: iso(T0 + 900e3), freshUntil: iso(T0 + 600e3) };
    assert.deepEqual(kinds(T0 + 599e3, [long]), ["signed-in"]);
    const moments = timelineMoments([long], T0 + 601e3);
    assert.deepEqual(moments.map((m) => m.kind), ["signed-in", "fresh-ended"]);
    assert.equal(moments[1].at, iso(T0 + 600e3), "at the moment it ended, not when it was noticed");
  });

  it("orders derived moments among later events", () => {
    const reverified = { kind: "re-verified" as const, at: iso(T0 + 50e3), accessExpiresAt: iso(T0 + 70e3), freshUntil: iso(T0 + 90e3) };
    assert.deepEqual(kinds(T0 + 60e3, [signedIn, reverified]), ["signed-in", "access-expired", "fresh-ended", "re-verified"]);
  });
});

describe("freshness countdown", () => {
  it("counts minutes, then seconds in the last minute", () => {
    assert.equal(freshForPhrase(600e3), "fresh for 10 more minutes");
    assert.equal(freshForPhrase(61e3), "fresh for 2 more minutes");
    assert.equal(freshForPhrase(60e3), "fresh for 1 more minute");
    assert.equal(freshForPhrase(39e3), "fresh for 39 more seconds");
    assert.equal(freshForPhrase(1_200), "fresh for 2 more seconds");
    assert.equal(freshForPhrase(400), "fresh for 1 more second");
  });
});

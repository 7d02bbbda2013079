import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { eventAction, eventSentence, methodsPhrase, timeAgo } from "./security-event-text";
import { SECURITY_EVENT_TYPES, type SecurityEventItem } from "./security-events";

const NOW = Date.parse("2026-12-01T12:00:00Z");
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();

function event(overrides: Partial<SecurityEventItem>): SecurityEventItem {
  return { id: "e1", type: "signed_in", at: ago(120), userAgent: "", ip: "203.0.113.9", sessionId: "s1", current: false, device: "Chrome on macOS", detail: {}, ...overrides };
}

describe("eventSentence", () => {
  test("a passkey sign-in on this device reads as the design's example", () => {
    const text = eventSentence(event({ detail: { methods: ["passkey"] }, current: true }), NOW);
    assert.equal(text, "Signed in with a passkey on Chrome on macOS, 2 minutes ago — this device");
  });

  test("another device's sign-in does not say 'this device'", () => {
    assert.equal(eventSentence(event({ detail: { methods: ["password"] }, device: "Firefox on Linux" }), NOW), "Signed in with your password on Firefox on Linux, 2 minutes ago");
  });

  test("reuse detection is said without jargon", () => {
    const text = eventSentence(event({ type: "refresh_reuse_detected", device: "Chrome on Linux", at: ago(5 * 60) }), NOW);
    assert.equal(text, "A signed-in device (Chrome on Linux) presented an old key; we signed it out to be safe, 5 minutes ago");
    assert.doesNotMatch(text, /token|refresh/i);
  });

  test("a failed sign-in names the address it came from", () => {
    assert.equal(eventSentence(event({ type: "sign_in_failed", device: "an unknown device" }), NOW), "Someone tried to sign in with a wrong password from 203.0.113.9 on an unknown device, 2 minutes ago");
  });

  test("every type has a sentence of its own", () => {
    const actions = SECURITY_EVENT_TYPES.map((type) => eventAction({ type, detail: {} }));
    for (const action of actions) assert.match(action, /^[A-Z]/);
    assert.equal(new Set(actions).size, actions.length, "no two types read the same");
  });
});

describe("eventAction details", () => {
  test("revocations say how many sessions", () => {
    assert.equal(eventAction({ type: "session_revoked", detail: { count: 1 } }), "Signed out another session");
    assert.equal(eventAction({ type: "session_revoked", detail: { count: 3 } }), "Signed out 3 other sessions");
  });

  test("confirmations and sign-ins say how, e-mail changes say to what", () => {
    assert.equal(eventAction({ type: "confirmed", detail: { methods: ["password"] } }), "Confirmed it was you with your password");
    assert.equal(eventAction({ type: "signed_in", detail: {} }), "Signed in");
    assert.equal(eventAction({ type: "email_changed", detail: { email: "new@example.com" } }), "Changed the email to new@example.com");
    assert.equal(eventAction({ type: "passkey_added", detail: { name: "Laptop" } }), "Added the passkey “Laptop”");
  });

  test("methodsPhrase joins two or more proofs in words", () => {
    assert.equal(methodsPhrase(["password", "totp"]), "your password and an authenticator code");
    assert.equal(methodsPhrase(["password", "totp", "recovery_code"]), "your password, an authenticator code and a recovery code");
    assert.equal(methodsPhrase([]), null);
  });
});

describe("timeAgo", () => {
  test("rounds to the unit a person would say", () => {
    assert.equal(timeAgo(ago(10), NOW), "just now");
    assert.equal(timeAgo(ago(60), NOW), "1 minute ago");
    assert.equal(timeAgo(ago(59 * 60), NOW), "59 minutes ago");
    assert.equal(timeAgo(ago(3 * 3600), NOW), "3 hours ago");
    assert.equal(timeAgo(ago(30 * 3600), NOW), "yesterday");
    assert.equal(timeAgo(ago(5 * 86400), NOW), "5 days ago");
  });

  test("a clock slightly behind the server's never says 'in the future'", () => {
    assert.equal(timeAgo(new Date(NOW + 5000).toISOString(), NOW), "just now");
  });
});

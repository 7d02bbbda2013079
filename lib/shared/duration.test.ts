import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDuration } from "./duration";

test("parseDuration reads bare seconds and s, m, h, d", () => {
  const table: [string, number][] = [
    ["90", 90],
    ["90s", 90],
    ["15m", 900],
    ["12h", 43_200],
    ["30d", 2_592_000],
    ["0", 0],
    ["1s", 1],
    [" 15m ", 900],
  ];
  for (const [text, seconds] of table) assert.equal(parseDuration(text), seconds, text);
});

test("parseDuration returns null for anything else", () => {
  for (const text of ["", " ", "m", "15M", "15min", "1w", "1y", "-5", "+5", "1.5h", "1e3", "15m30s", "0x10", "Infinity", "NaN", "1234567890", "15 minutes"]) {
    assert.equal(parseDuration(text), null, JSON.stringify(text));
  }
});

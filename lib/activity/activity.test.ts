// The activity log against a real, migrated SQLite file: atomic recording,
// stable paging, one failed sign-in per burst, the retention cleanup and its schedule.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { setTestEnv, sleep, tempDir } from "../test-utils";

const temp = tempDir("fa-activity-");
const DATABASE_URL = `file:${path.join(temp.dir, "x.db")}`;
setTestEnv({ DATABASE_URL });

let db: typeof import("../db");
let record: typeof import("./record");
let list: typeof import("./list");
let cleanup: typeof import("./cleanup");
let schedule: typeof import("./schedule");
let failed: typeof import("./failed-sign-in");
let device: typeof import("./device");

before(async () => {
  const { migrate } = await import("../../scripts/migrate.mjs");
  await migrate(DATABASE_URL, { log: () => {} });
  db = await import("../db");
  record = await import("./record");
  list = await import("./list");
  cleanup = await import("./cleanup");
  schedule = await import("./schedule");
  failed = await import("./failed-sign-in");
  device = await import("./device");
});

after(async () => {
  await db?.getDb().$disconnect();
  temp.cleanup();
});

let users = 0;
async function newUser(): Promise<string> {
  const id = `user-${++users}`;
  await db.getDb().user.create({ data: { id, email: `${id}@example.com`, name: "", passwordHash: "x" } });
  return id;
}

/** Waits for the timer to have fired (a busy machine delays it; it must still fire). */
async function until(condition: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    assert.ok(Date.now() < deadline, "the scheduled run never came");
    await sleep(10);
  }
}

const eventsOf = (userId: string) => db.getDb().securityEvent.findMany({ where: { userId }, orderBy: { at: "asc" } });

describe("recording", () => {
  test("an event written in a transaction that fails is rolled back with it", async () => {
    const userId = await newUser();
    await assert.rejects(
      db.getDb().$transaction(async (tx) => {
        await record.recordEvent(tx, { userId, type: "password_changed" });
        throw new Error("the change failed");
      }),
      /the change failed/,
    );
    assert.equal((await eventsOf(userId)).length, 0);
  });

  test("withEvent records only when the outcome says the change happened, with its detail", async () => {
    const userId = await newUser();
    const event = { userId, type: "session_revoked", ip: "192.0.2.1", userAgent: "ua", sessionId: "s" } as const;
    await record.withEvent(event, async () => ({ count: 0 }), ({ count }) => count > 0 && { count });
    assert.equal((await eventsOf(userId)).length, 0);
    await record.withEvent(event, async () => ({ count: 2 }), ({ count }) => count > 0 && { count });
    const rows = await eventsOf(userId);
    assert.equal(rows.length, 1);
    assert.deepEqual(JSON.parse(rows[0].detail), { count: 2 });
    assert.equal(rows[0].ip, "192.0.2.1");
  });

  test("a failing change inside withEvent leaves no event", async () => {
    const userId = await newUser();
    const taken = await newUser();
    await assert.rejects(
      record.withEvent({ userId, type: "email_changed" }, (tx) => tx.user.update({ where: { id: userId }, data: { email: `${taken}@example.com` } })),
      (error: { code?: string }) => error.code === "P2002",
    );
    assert.equal((await eventsOf(userId)).length, 0);
  });

  test("an event that cannot be written takes its change down with it (one transaction)", async () => {
    const userId = await newUser();
    await record.recordEvent(db.getDb(), { id: `dup-${userId}`, userId, type: "signed_in" });
    await assert.rejects(
      record.withEvent({ id: `dup-${userId}`, userId, type: "email_changed" }, (tx) => tx.user.update({ where: { id: userId }, data: { name: "changed" } })),
      (error: { code?: string }) => error.code === "P2002",
    );
    const user = await db.getDb().user.findUnique({ where: { id: userId }, select: { name: true } });
    assert.equal(user?.name, "", "the change was rolled back with the event");
  });
});

describe("failed sign-ins", () => {
  test("one event per account and address per 15-minute window, however many guesses", async () => {
    const userId = await newUser();
    const t0 = Date.parse("2026-12-01T10:00:00Z");
    const client = { ip: "198.51.100.7", userAgent: "curl" };
    await Promise.all(Array.from({ length: 8 }, () => failed.recordFailedSignIn(userId, client, t0)));
    await failed.recordFailedSignIn(userId, client, t0 + 60_000);
    assert.equal((await eventsOf(userId)).length, 1);
    await failed.recordFailedSignIn(userId, { ...client, ip: "198.51.100.8" }, t0);
    await failed.recordFailedSignIn(userId, client, t0 + failed.FAILED_SIGN_IN_WINDOW_MS);
    const rows = await eventsOf(userId);
    assert.equal(rows.length, 3, "another address, and the next window, each get one");
    assert.ok(rows.every((row) => row.type === "sign_in_failed"));
  });
});

describe("listEvents", () => {
  test("newest first, paged by (at, id) so events of the same millisecond are neither lost nor repeated", async () => {
    const userId = await newUser();
    const other = await newUser();
    const at = new Date("2026-11-30T08:00:00Z");
    // 7 events sharing one timestamp, and 3 older ones.
    const rows = [
      ...Array.from({ length: 7 }, (_, i) => ({ id: `same-${i}`, at })),
      ...Array.from({ length: 3 }, (_, i) => ({ id: `old-${i}`, at: new Date(at.getTime() - (i + 1) * 1000) })),
    ];
    await db.getDb().securityEvent.createMany({ data: rows.map((r) => ({ ...r, userId, type: "signed_in", sessionId: r.id === "same-3" ? "mine" : "other" })) });
    await db.getDb().securityEvent.create({ data: { id: "foreign", userId: other, type: "signed_in", at } });

    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await list.listEvents(userId, { before, currentSessionId: "mine", limit: 3 });
      if (page.length === 0) break;
      seen.push(...page.map((e) => e.id));
      before = page[page.length - 1].id;
    }
    assert.deepEqual(seen, ["same-6", "same-5", "same-4", "same-3", "same-2", "same-1", "same-0", "old-0", "old-1", "old-2"]);
    const first = await list.listEvents(userId, { currentSessionId: "mine" });
    assert.deepEqual(first.filter((e) => e.current).map((e) => e.id), ["same-3"]);
    assert.deepEqual(await list.listEvents(userId, { before: "foreign", currentSessionId: "mine" }), [], "another user's id is no cursor");
  });

  test("detail comes back as known fields only; an unknown type is skipped", async () => {
    const userId = await newUser();
    await db.getDb().securityEvent.createMany({
      data: [
        { id: "d1", userId, type: "signed_in", detail: JSON.stringify({ methods: ["passkey"], secret: "x" }) },
        { id: "d2", userId, type: "not_a_type", detail: "" },
        { id: "d3", userId, type: "confirmed", detail: "{broken" },
      ],
    });
    const events = await list.listEvents(userId, { currentSessionId: "none" });
    assert.deepEqual(events.map((e) => [e.id, e.detail]).sort(), [["d1", { methods: ["passkey"] }], ["d3", {}]]);
  });
});

describe("deviceName", () => {
  test("names browser and system with bowser, and says so when it cannot", () => {
    const mac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    assert.equal(device.deviceName(mac), "Chrome on macOS");
    assert.equal(device.deviceName("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"), "Firefox on Linux");
    assert.equal(device.deviceName(""), "an unknown device");
    assert.equal(device.deviceName("node"), "an unknown device");
  });
});

describe("retention", () => {
  test("the cleanup deletes events older than 90 days and nothing newer", async () => {
    const userId = await newUser();
    const now = new Date("2026-12-01T00:00:00Z");
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86400_000);
    await db.getDb().securityEvent.createMany({
      data: [
        { id: "r-100", userId, type: "signed_in", at: daysAgo(100) },
        { id: "r-91", userId, type: "signed_in", at: daysAgo(91) },
        { id: "r-89", userId, type: "signed_in", at: daysAgo(89) },
        { id: "r-1", userId, type: "signed_in", at: daysAgo(1) },
      ],
    });
    const deleted = await cleanup.deleteExpiredEvents(now);
    assert.ok(deleted >= 2);
    assert.deepEqual((await eventsOf(userId)).map((e) => e.id), ["r-89", "r-1"]);
  });

  test("the schedule runs the cleanup at start and then every interval, once per process", async () => {
    let runs = 0;
    const started = schedule.startEventCleanup({ intervalMs: 40, run: async () => void runs++ });
    try {
      await started.first;
      assert.equal(runs, 1, "one run at start");
      assert.equal(schedule.startEventCleanup({ intervalMs: 40, run: async () => void (runs += 100) }), started, "a second start is the same scheduler");
      await until(() => runs >= 3);
      assert.ok(runs < 100, "the second start's run function was never used");
      assert.equal(started.timer.hasRef(), false, "the timer never keeps the process alive");
    } finally {
      schedule.stopEventCleanup();
    }
  });

  test("a failed run is logged and the schedule goes on", async () => {
    let runs = 0;
    const started = schedule.startEventCleanup({
      intervalMs: 30,
      run: async () => {
        runs++;
        throw new Error("database away");
      },
    });
    try {
      await started.first;
      await until(() => runs >= 2);
    } finally {
      schedule.stopEventCleanup();
    }
  });
});

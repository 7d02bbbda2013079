import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ActionResult } from "../shared/action-result";
import { createApiClient } from "./api";
import { ApiError } from "./errors";
import { createTab, json, SESSION } from "./test-env";

// A guarded Server Action as the browser sees it: answers are values, in order.
function fakeAction<T>(...answers: ActionResult<T>[]) {
  const calls: FormData[] = [];
  return {
    calls,
    action: async (_previous: unknown, form: FormData) => {
      calls.push(form);
      const answer = answers.shift();
      if (!answer) throw new Error("called too often");
      return answer;
    },
  };
}

const form = () => {
  const data = new FormData();
  data.set("email", "new@example.com");
  return data;
};
const refused = (error: "token_expired" | "fresh_token_required" | "email_taken" | "token_revoked", extra: object = {}) => ({ ok: false as const, error, description: error, ...extra });

describe("runAction (the hook useAuthActionState runs each submit through)", () => {
  it("token_expired: one refresh, then the same FormData again", async () => {
    const tab = createTab(() => json(200, { session: SESSION }));
    const api = createApiClient(tab.env);
    const { calls, action } = fakeAction(refused("token_expired"), { ok: true, data: { pendingEmail: "new@example.com" } });
    const sent = form();
    assert.deepEqual(await api.runAction(() => action(null, sent)), { pendingEmail: "new@example.com" });
    assert.equal(tab.count("/api/auth/refresh"), 1);
    assert.deepEqual(calls, [sent, sent]);
  });

  it("fresh_token_required: the dialog is given the refusal, then the same FormData again", async () => {
    const tab = createTab(() => json(200, {}));
    const api = createApiClient(tab.env);
    const asked: ApiError[] = [];
    api.setReauthHandler(async (refusal) => void asked.push(refusal));
    const { calls, action } = fakeAction(refused("fresh_token_required", { maxAge: 600, level: "any", methods: ["password"] }), { ok: true, data: { pendingEmail: "new@example.com" } });
    const sent = form();
    await api.runAction(() => action(null, sent));
    assert.equal(asked.length, 1);
    assert.equal(asked[0].status, 401);
    assert.deepEqual([asked[0].maxAge, asked[0].level, asked[0].methods], [600, "any", ["password"]]);
    assert.deepEqual(calls, [sent, sent]);
  });

  it("a refusal the wrapper cannot fix comes out as the API's typed error; a dead session goes to /login", async () => {
    const tab = createTab(() => json(200, {}));
    const api = createApiClient(tab.env);
    const taken = fakeAction<never>(refused("email_taken"));
    await assert.rejects(api.runAction(() => taken.action(null, form())), (error) => error instanceof ApiError && error.code === "email_taken" && error.status === 409);
    assert.equal(tab.logins(), 0);
    const revoked = fakeAction<never>(refused("token_revoked"));
    await assert.rejects(api.runAction(() => revoked.action(null, form())), (error) => error instanceof ApiError && error.code === "token_revoked");
    assert.deepEqual(tab.reasons, ["ended"]);
  });
});

import "server-only";
import { RateLimiterPrisma, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { getConfig } from "../config";
import { getDb } from "../db";
import { AuthError } from "../http/errors";

/**
 * Failed password checks are counted per account (the normalised e-mail,
 * whether or not it exists, so limits reveal nothing) and per client address
 * (which also slows password spraying across many accounts). Counters live
 * in the database so every app instance shares them.
 *
 * Only failures count against these limits (successes have a separate,
 * generous budget against floods of bcrypt work: decision 607). Each time an
 * account's window fills up, it is blocked
 * for window × 2^(strikes−1), at most a day: back-off grows for a persistent
 * attacker. The address window does not grow: many honest people can share
 * one address (NAT).
 *
 * A block on the account must not become the attacker's weapon: ten wrong
 * guesses per window would otherwise keep the owner out for good. So a
 * client that has proven itself for this account before (an address it has
 * signed in from, known-address.ts, or a live session of the account:
 * `trusted`) is judged by a limit
 * of its own, with the same points and back-off, instead of the account's
 * and the address's. Its failures still count against the account.
 */
interface Limiters {
  account: RateLimiterAbstract | null;
  address: RateLimiterAbstract | null;
  /** Successful password checks (bcrypt work), per account and per address: generous, and only against floods. */
  successAccount: RateLimiterAbstract | null;
  successAddress: RateLimiterAbstract | null;
  strikes: RateLimiterAbstract;
  accountPoints: number;
  accountWindow: number;
}

const MAX_BLOCK_SECONDS = 24 * 3600;
let limiters: Limiters | undefined;

function getLimiters(): Limiters {
  if (limiters) return limiters;
  const {
    AUTH_RATE_LIMIT_ACCOUNT: account,
    AUTH_RATE_LIMIT_ADDRESS: address,
    AUTH_RATE_LIMIT_SUCCESS_ACCOUNT: successAccount,
    AUTH_RATE_LIMIT_SUCCESS_ADDRESS: successAddress,
  } = getConfig();
  const make = (keyPrefix: string, points: number, duration: number) =>
    new RateLimiterPrisma({ storeClient: getDb(), tableName: "rateLimit", keyPrefix, points, duration });
  limiters = {
    account: account && make("account", account.points, account.windowSeconds),
    address: address && make("address", address.points, address.windowSeconds),
    successAccount: successAccount && make("success-account", successAccount.points, successAccount.windowSeconds),
    successAddress: successAddress && make("success-address", successAddress.points, successAddress.windowSeconds),
    strikes: make("strikes", 1_000_000, MAX_BLOCK_SECONDS),
    accountPoints: account?.points ?? 0,
    accountWindow: account?.windowSeconds ?? 0,
  };
  return limiters;
}

export interface AttemptKeys {
  /** The normalised e-mail (or user id) the password is checked for. */
  account?: string;
  address: string;
  /**
   * A client already proven for this account ("address:…", "session:<id>"):
   * it is limited under this key instead of the account's and the address's.
   */
  trusted?: string;
}

type Slot = { limiter: RateLimiterAbstract; key: string };

/**
 * `account` is the slot that grows the back-off and `address` the flat one;
 * `alsoCounted` (the account, for a trusted client) only records failures.
 */
function slots(keys: AttemptKeys): { account?: Slot; address?: Slot; alsoCounted?: Slot } {
  const { account, address } = getLimiters();
  const onAccount = account && keys.account !== undefined ? { limiter: account, key: keys.account } : undefined;
  if (keys.trusted !== undefined && account) {
    // "trusted:" keeps these apart from e-mails in the shared table.
    return { account: { limiter: account, key: `trusted:${keys.trusted}` }, alsoCounted: onAccount };
  }
  return { account: onAccount, address: address ? { limiter: address, key: keys.address } : undefined };
}

/** The success budget is everyone's, trusted or not: it bounds work, not guessing. */
function successSlots(keys: AttemptKeys): (Slot | undefined)[] {
  const { successAccount, successAddress } = getLimiters();
  return [
    successAccount && keys.account !== undefined ? { limiter: successAccount, key: keys.account } : undefined,
    successAddress ? { limiter: successAddress, key: keys.address } : undefined,
  ];
}

async function remainingSeconds(slot: Slot | undefined): Promise<number> {
  if (!slot) return 0;
  const state = await slot.limiter.get(slot.key);
  if (!state || state.remainingPoints > 0) return 0;
  return Math.ceil(state.msBeforeNext / 1000);
}

async function assertRoom(list: (Slot | undefined)[]): Promise<void> {
  const wait = Math.max(0, ...(await Promise.all(list.map(remainingSeconds))));
  if (wait > 0) throw new AuthError("rate_limited", { retryAfter: wait });
}

/** Refuses the attempt before the password is even checked when a limit is spent. */
export async function assertAttemptAllowed(keys: AttemptKeys): Promise<void> {
  const { account, address } = slots(keys);
  await assertRoom([account, address]);
}

/** A limit refusal is a RateLimiterRes; anything else (the database) is a real error. */
async function consume(slot: Slot | undefined): Promise<{ consumed: number; refusedMs: number }> {
  if (!slot) return { consumed: 0, refusedMs: 0 };
  try {
    return { consumed: (await slot.limiter.consume(slot.key)).consumedPoints, refusedMs: 0 };
  } catch (error) {
    if (error instanceof RateLimiterRes) return { consumed: error.consumedPoints, refusedMs: Math.max(1000, error.msBeforeNext) };
    throw error;
  }
}

async function giveBack(...list: (Slot | undefined)[]): Promise<void> {
  await Promise.all(list.map((slot) => slot?.limiter.reward(slot.key)));
}

/**
 * Takes one point on every slot at once (atomic increments in the database),
 * or none: when any slot is full the attempt is refused, and the points taken
 * on slots that still had room are given back. A slot already over its limit
 * keeps the extra point: giving it back could undo a block that another
 * attempt has just set. Returns the points consumed on each slot.
 */
async function reserve(list: (Slot | undefined)[]): Promise<number[]> {
  const taken = await Promise.all(list.map(consume));
  const refusedMs = Math.max(0, ...taken.map((t) => t.refusedMs));
  if (refusedMs > 0) {
    await giveBack(...list.map((slot, i) => (taken[i].refusedMs ? undefined : slot)));
    throw new AuthError("rate_limited", { retryAfter: refusedMs / 1000 });
  }
  return taken.map((t) => t.consumed);
}

export interface Attempt {
  /** The password was right: the reserved failure is given back (successes never count as failures). */
  succeeded(): Promise<void>;
  /**
   * The password was wrong: the failure stays counted, and a full account
   * window grows the back-off. Resolves to the failures the account (or
   * trusted) key may still take before it is blocked; null without one.
   */
  failed(): Promise<number | null>;
  /** Nothing was checked (the check was shed, the database failed): every reserved point is given back. */
  abandoned(): Promise<void>;
}

/**
 * Reserves one failure on the account and the address BEFORE the password is
 * checked. Checking first and counting afterwards would let a burst of
 * parallel guesses all pass the check before the first one is counted; an
 * atomic increment up front means at most `points` guesses are ever in play
 * per window, however many arrive at once (decision 401).
 *
 * A success is reserved the same way on the success budget (decision 607):
 * a right password costs bcrypt work like a wrong one, so a client that knows
 * one password cannot queue checks without end. A failure gives that point
 * back; a success gives back the failure.
 */
export async function beginAttempt(keys: AttemptKeys): Promise<Attempt> {
  const { account, address, alsoCounted } = slots(keys);
  const successes = successSlots(keys);
  // A read first, so a flood of refused requests costs no writes.
  await assertRoom([account, address, ...successes]);
  const [onAccount] = await reserve([account, address, ...successes]);
  return {
    succeeded: () => giveBack(account, address),
    failed: async () => {
      await giveBack(...successes);
      const counted = alsoCounted ? (await alsoCounted.limiter.penalty(alsoCounted.key)).consumedPoints : 0;
      await Promise.all([strikeIfFull(account, onAccount), strikeIfFull(alsoCounted, counted)]);
      return account ? Math.max(0, getLimiters().accountPoints - onAccount) : null;
    },
    abandoned: () => giveBack(account, address, ...successes),
  };
}

/**
 * Register and change-email answer 409 for a taken address, which tells a
 * prober what it wants to know: each 409 counts as a failure on `keys`. The
 * point is reserved before `work` runs (a hash on register, an UPDATE on
 * change-email) and given back unless the work ends in `email_taken`, so a
 * parallel burst gets at most `points` answers per window, as login's
 * guesses do (decision 601). No back-off strike: probing is limited, not
 * punished, since the owner of a typo'd address is no attacker.
 */
export async function limitProbing<T>(keys: AttemptKeys, work: () => Promise<T>): Promise<T> {
  const { account, address } = slots(keys);
  await assertRoom([account, address]);
  await reserve([account, address]);
  try {
    const result = await work();
    await giveBack(account, address);
    return result;
  } catch (error) {
    if (!(error instanceof AuthError && error.code === "email_taken")) await giveBack(account, address);
    throw error;
  }
}

/** Exactly one failure takes the last point of a window: that one blocks the key, for longer each time. */
async function strikeIfFull(slot: Slot | undefined, consumed: number): Promise<void> {
  const { strikes, accountPoints, accountWindow } = getLimiters();
  if (!slot || consumed !== accountPoints) return;
  const strike = await strikes.penalty(slot.key);
  const seconds = Math.min(accountWindow * 2 ** (strike.consumedPoints - 1), MAX_BLOCK_SECONDS);
  await slot.limiter.block(slot.key, seconds);
}

/**
 * Tells a signed-in client how many failures its own budget has left
 * (`RateLimit-Remaining`, from the IETF rate-limit header drafts), so the
 * dialog can warn before the last attempts. Only for trusted budgets (a live
 * session): to an anonymous guesser it would be a free counter.
 */
export function remainingHeaders(left: number | null): { headers?: HeadersInit } {
  return left === null ? {} : { headers: { "RateLimit-Remaining": String(left) } };
}

import "server-only";
import { RateLimiterPrisma, type RateLimiterAbstract } from "rate-limiter-flexible";
import { getConfig } from "../config";
import { getDb } from "../db";
import { AuthError } from "./errors";

/**
 * Failed password checks are counted per account (the normalised e-mail,
 * whether or not it exists, so limits reveal nothing) and per client address
 * (which also slows password spraying across many accounts). Counters live
 * in the database so every app instance shares them.
 *
 * Only failures count. Each time an account's window fills up, it is blocked
 * for window × 2^(strikes−1), at most a day: back-off grows for a persistent
 * attacker, and a legitimate user is never locked out for good.
 */
interface Limiters {
  account: RateLimiterAbstract | null;
  address: RateLimiterAbstract | null;
  strikes: RateLimiterAbstract;
  accountWindow: number;
}

const MAX_BLOCK_SECONDS = 24 * 3600;
let limiters: Limiters | undefined;

function getLimiters(): Limiters {
  if (limiters) return limiters;
  const { AUTH_RATE_LIMIT_ACCOUNT: account, AUTH_RATE_LIMIT_ADDRESS: address } = getConfig();
  const make = (keyPrefix: string, points: number, duration: number) =>
    new RateLimiterPrisma({ storeClient: getDb(), tableName: "rateLimit", keyPrefix, points, duration });
  limiters = {
    account: account && make("account", account.points, account.windowSeconds),
    address: address && make("address", address.points, address.windowSeconds),
    strikes: make("strikes", 1_000_000, MAX_BLOCK_SECONDS),
    accountWindow: account?.windowSeconds ?? 0,
  };
  return limiters;
}

export interface AttemptKeys {
  /** The normalised e-mail (or user id) the password is checked for. */
  account?: string;
  address: string;
}

async function remainingSeconds(limiter: RateLimiterAbstract | null, key: string | undefined): Promise<number> {
  if (!limiter || key === undefined) return 0;
  const state = await limiter.get(key);
  if (!state || state.remainingPoints > 0) return 0;
  return Math.ceil(state.msBeforeNext / 1000);
}

/** Refuses the attempt before the password is even checked when a limit is spent. */
export async function assertAttemptAllowed(keys: AttemptKeys): Promise<void> {
  const { account, address } = getLimiters();
  const wait = Math.max(await remainingSeconds(account, keys.account), await remainingSeconds(address, keys.address));
  if (wait > 0) throw new AuthError("rate_limited", { retryAfter: wait });
}

/** Counts one failed attempt against both keys. */
export async function recordFailedAttempt(keys: AttemptKeys): Promise<void> {
  const { account, address, strikes, accountWindow } = getLimiters();
  const results = await Promise.all([
    account && keys.account !== undefined ? account.penalty(keys.account) : null,
    address ? address.penalty(keys.address) : null,
  ]);
  const accountState = results[0];
  if (account && keys.account !== undefined && accountState && accountState.remainingPoints === 0) {
    const strike = await strikes.penalty(keys.account);
    const seconds = Math.min(accountWindow * 2 ** (strike.consumedPoints - 1), MAX_BLOCK_SECONDS);
    await account.block(keys.account, seconds);
  }
}

import "server-only";
import { RateLimiterPrisma } from "rate-limiter-flexible";
import { getConfig } from "../config";
import { getDb } from "../db";

/**
 * Addresses an account has signed in from with the right password: the
 * answer to an attacker who keeps an account locked by guessing its password
 * ten times per window, forever (OWASP Authentication cheat sheet, "account
 * lockout" — lock out the attacker, not the owner).
 *
 * A sign-in from a known (account, address) pair is judged by a limit of its
 * own (lib/auth/rate-limit.ts, `trusted`) instead of the account's, so the
 * attacker, who has never signed in from anywhere, stays behind the account's
 * growing back-off while the owner keeps signing in from home or the office.
 * Their failures still count against the account, so the account limit reads
 * the same to everyone else.
 *
 * The pair is (user id, address), never (e-mail, address): trust was earned
 * by one account, and an e-mail string outlives it. Keyed by the address,
 * whoever pre-registered a victim's e-mail, signed in from a few addresses
 * and deleted the account would keep trusted budgets against the real
 * owner's account (decision 605). User ids are never reused; the rows are
 * still deleted with the account and on an e-mail change (forgetAddresses).
 *
 * Kept in the rate-limit table (shared by every instance, expiring by
 * itself) rather than in a cookie: it needs no new cookie beside the three of
 * the contract, survives sign-out, and grants nothing but a separate guessing
 * budget. An address is remembered for the life of a sign-in session
 * (AUTH_REFRESH_TTL) after its last successful sign-in.
 */
const PREFIX = "known";
let known: RateLimiterPrisma | undefined;

function store(): RateLimiterPrisma {
  known ??= new RateLimiterPrisma({ storeClient: getDb(), tableName: "rateLimit", keyPrefix: PREFIX, points: 1, duration: getConfig().AUTH_REFRESH_TTL });
  return known;
}

// Trust only changes which limit an attempt meets: with no account limit
// there is nothing to remember.
const enabled = () => getConfig().AUTH_RATE_LIMIT_ACCOUNT !== null;

/**
 * The key a known pair is limited under, or undefined for a stranger. An
 * unknown e-mail (no user) is looked up too, under a user id no account has,
 * so both cost the same read.
 */
export async function knownAddressKey(userId: string | undefined, address: string): Promise<string | undefined> {
  if (!enabled()) return undefined;
  const key = `${userId ?? "-"}|${address}`;
  return (await store().get(key)) && userId ? `address:${key}` : undefined;
}

/** After a successful password check from `address`: remember (or refresh) the pair. */
export async function rememberAddress(userId: string, address: string): Promise<void> {
  if (enabled()) await store().set(`${userId}|${address}`, 1, getConfig().AUTH_REFRESH_TTL);
}

/**
 * The rows that forget every address of an account, for the caller's
 * transaction: rate-limiter-flexible stores `<prefix>:<key>`.
 */
export function forgetAddresses(userId: string) {
  return getDb().rateLimit.deleteMany({ where: { key: { startsWith: knownAddressPrefix(userId) } } });
}

/** The key prefix of an account's known addresses, for a delete inside another transaction. */
export function knownAddressPrefix(userId: string): string {
  return `${PREFIX}:${userId}|`;
}

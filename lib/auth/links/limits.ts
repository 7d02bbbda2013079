import "server-only";
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import { getConfig } from "../../config";
import { getDb } from "../../db";
import { AuthError } from "../../http/errors";

/**
 * Two limits for everything that sends a link or spends one:
 *
 * - per client address (AUTH_RATE_LIMIT_ADDRESS's numbers, its own counter):
 *   every reset request, resend, e-mail change and link confirmation counts,
 *   success or not, since each one either sends mail or guesses a token.
 *   Over it: 429 rate_limited, which says nothing about any account.
 * - per account (AUTH_RATE_LIMIT_MAIL): link mails sent to one account. Over
 *   it the request still answers 202 and nothing is sent, so the limit can
 *   neither reveal that an address has an account nor flood its inbox.
 */
let byAddress: RateLimiterPrisma | null | undefined;
let byAccount: RateLimiterPrisma | null | undefined;

function addressLimiter(): RateLimiterPrisma | null {
  if (byAddress !== undefined) return byAddress;
  const limit = getConfig().AUTH_RATE_LIMIT_ADDRESS;
  byAddress = limit && new RateLimiterPrisma({ storeClient: getDb(), tableName: "rateLimit", keyPrefix: "link-address", points: limit.points, duration: limit.windowSeconds });
  return byAddress;
}

function accountLimiter(): RateLimiterPrisma | null {
  if (byAccount !== undefined) return byAccount;
  const limit = getConfig().AUTH_RATE_LIMIT_MAIL;
  byAccount = limit && new RateLimiterPrisma({ storeClient: getDb(), tableName: "rateLimit", keyPrefix: "link-mail", points: limit.points, duration: limit.windowSeconds });
  return byAccount;
}

/** Counts one link request from `address`; 429 once the window is spent. */
export async function countLinkRequest(address: string): Promise<void> {
  const limiter = addressLimiter();
  if (!limiter) return;
  try {
    await limiter.consume(address);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw new AuthError("rate_limited", { retryAfter: error.msBeforeNext / 1000 });
    throw error;
  }
}

/** Takes one mail from the account's budget; false (send nothing) when it is spent. */
export async function takeMailBudget(userId: string): Promise<boolean> {
  const limiter = accountLimiter();
  if (!limiter) return true;
  try {
    await limiter.consume(userId);
    return true;
  } catch (error) {
    if (error instanceof RateLimiterRes) return false;
    throw error;
  }
}

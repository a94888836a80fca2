import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** An unguessable token for the view's URL: 32 random bytes, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares in constant time (both sides hashed first, so their lengths do not show either). */
export function tokenMatches(given: string, token: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/** The soak's checksum of a stream of numbers: their sum mod a prime, so every value counts. */
export const CHECKSUM_MOD = 1_000_000_007;

export function addToChecksum(sum: number, value: number): number {
  return (sum + (value % CHECKSUM_MOD)) % CHECKSUM_MOD;
}

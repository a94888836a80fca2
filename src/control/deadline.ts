/** setTimeout for any length: Node's own fires at once past 2^31-1 ms (about 24.8 days), so long ones re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function setDeadline(ms: number, fire: () => void): { clear(): void } {
  const at = Date.now() + ms;
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = at - Date.now();
    timer = left > MAX_TIMER_MS ? setTimeout(arm, MAX_TIMER_MS) : setTimeout(fire, Math.max(0, left));
  };
  arm();
  return { clear: () => clearTimeout(timer) };
}

// The demo's sums, computed independently: sum over each group of 5 of i*(2i-1)*(3i-2), i = 1..limit.
export function expectedDemoSums(limit: number): number[] {
  const sums: number[] = [];
  for (let g = 0; g < limit / 5; g++) {
    let s = 0;
    for (let k = g * 5; k < g * 5 + 5; k++) s += (1 + k) * (1 + 2 * k) * (1 + 3 * k);
    sums.push(s);
  }
  return sums;
}

/** sums.csv as the demo's csv-sink writes it (limit 50): the input pipe's name, then one sum per row. */
export const EXPECTED_DEMO_CSV = ['p106', ...expectedDemoSums(50), ''].join('\n');

/**
 * The one place that builds a remote shell command from values (DESIGN section 8): every value is
 * single-quoted, so nothing in it (spaces, `$`, `;`, quotes) can become shell code on the node.
 */
export function shellQuote(args: readonly string[]): string {
  return args.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');
}

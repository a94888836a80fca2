/** How a message shows text from the file: escaped, and cut short (a file may be one huge line). */

/** Characters of a user's value shown in a message. */
const MAX_VALUE = 60;
/** Characters of a message from the YAML parser (it may quote the source). */
const MAX_MESSAGE = 200;

/** A value as JSON shows it (quotes, escapes), at most MAX_VALUE characters of it. */
export function quoted(value: string): string {
  return JSON.stringify(cut(value, MAX_VALUE));
}

/** A name between single quotes, control characters escaped, at most MAX_VALUE characters of it. */
export function named(name: string): string {
  return `'${JSON.stringify(cut(name, MAX_VALUE)).slice(1, -1)}'`;
}

/** A name as written (an anchor, say), at most MAX_VALUE characters of it. */
export function short(name: string): string {
  return cut(name, MAX_VALUE);
}

export function shorten(message: string): string {
  return cut(message, MAX_MESSAGE);
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length} characters)`;
}

/**
 * OpenSSH's known_hosts file: which keys a host name is known with. Understands plain host patterns
 * (comma lists, `*` and `?` wildcards, `!` negation), hashed names (`|1|salt|hmac`), `[host]:port` for
 * ports other than 22, `@revoked` lines and comments; `@cert-authority` lines are ignored (no host
 * certificates here).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface KnownHostLine {
  /** 1-based line number in the file. */
  line: number;
  marker: 'revoked' | undefined;
  hosts: string;
  keyType: string;
  key: Buffer;
}

/** What the file says about one host and the key it presented. */
export type HostKeyVerdict =
  | { status: 'known'; line: number }
  | { status: 'revoked'; line: number }
  | { status: 'changed'; line: number; knownKey: Buffer }
  | { status: 'unknown'; otherTypes: string[] };

/** The name a host is recorded under: `host` on port 22, `[host]:port` on any other. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** The lines of a known_hosts text that carry a host key; malformed lines are skipped, as OpenSSH does. */
export function parseKnownHosts(text: string): KnownHostLine[] {
  const out: KnownHostLine[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const fields = lines[i]!.trim().split(/[ \t]+/);
    if (fields[0] === '' || fields[0]!.startsWith('#')) continue;
    let marker: KnownHostLine['marker'];
    if (fields[0]!.startsWith('@')) {
      const m = fields.shift()!;
      if (m !== '@revoked') continue; // @cert-authority (or an unknown marker): not a host key
      marker = 'revoked';
    }
    const [hosts, keyType, base64] = fields;
    if (hosts === undefined || keyType === undefined || base64 === undefined) continue;
    const key = Buffer.from(base64, 'base64');
    if (key.length === 0) continue;
    out.push({ line: i + 1, marker, hosts, keyType, key });
  }
  return out;
}

/** Whether a line's host field names `name` (an exact `name` as given by knownHostName). */
export function hostsFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) return hashedNameMatches(field, name);
  let matched = false;
  for (const pattern of field.split(',')) {
    const negated = pattern.startsWith('!');
    if (wildcardMatches(negated ? pattern.slice(1) : pattern, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function hashedNameMatches(field: string, name: string): boolean {
  const [, , salt, hash] = field.split('|');
  if (salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function wildcardMatches(pattern: string, name: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(name);
}

/** The key type named inside an SSH public key blob (its first string), e.g. `ssh-ed25519`. */
export function keyTypeOfBlob(blob: Buffer): string {
  if (blob.length < 4) return '';
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('latin1');
}

/** OpenSSH's order: a revoked key refuses; a matching key accepts; another key of the same type is a change. */
export function judgeHostKey(lines: readonly KnownHostLine[], name: string, key: Buffer): HostKeyVerdict {
  const forHost = lines.filter((l) => hostsFieldMatches(l.hosts, name));
  const revoked = forHost.find((l) => l.marker === 'revoked' && l.key.equals(key));
  if (revoked) return { status: 'revoked', line: revoked.line };
  const plain = forHost.filter((l) => l.marker === undefined);
  const same = plain.find((l) => l.key.equals(key));
  if (same) return { status: 'known', line: same.line };
  const type = keyTypeOfBlob(key);
  const changed = plain.find((l) => keyTypeOfBlob(l.key) === type);
  if (changed) return { status: 'changed', line: changed.line, knownKey: changed.key };
  return { status: 'unknown', otherTypes: [...new Set(plain.map((l) => keyTypeOfBlob(l.key)))] };
}

/** The key types a host is known with (to ask the server for one of those first, as OpenSSH does). */
export function knownKeyTypes(lines: readonly KnownHostLine[], name: string): string[] {
  const types = lines.filter((l) => l.marker === undefined && hostsFieldMatches(l.hosts, name)).map((l) => keyTypeOfBlob(l.key));
  return [...new Set(types)];
}

/** The file's host key lines; none when the file does not exist. */
export function readKnownHosts(file: string): KnownHostLine[] {
  if (!existsSync(file)) return [];
  return parseKnownHosts(readFileSync(file, 'utf8'));
}

/** Appends `name keytype base64`, creating the file (0600) and its folder (0700) when missing. */
export function recordHostKey(file: string, name: string, key: Buffer): void {
  const dir = dirname(file);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  let prefix = '';
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8');
    if (text.length > 0 && !text.endsWith('\n')) prefix = '\n';
  }
  appendFileSync(file, `${prefix}${name} ${keyTypeOfBlob(key)} ${key.toString('base64')}\n`, { mode: 0o600 });
}

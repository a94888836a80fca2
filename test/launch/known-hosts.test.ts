import { createHmac, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hostsFieldMatches, judgeHostKey, keyTypeOfBlob, knownHostName, parseKnownHosts } from '../../src/launch/ssh/known-hosts.js';
import { shellQuote } from '../../src/launch/ssh/remote-command.js';

function blob(type: string, body: string): Buffer {
  const t = Buffer.from(type);
  const b = Buffer.from(body);
  const out = Buffer.alloc(8 + t.length + b.length);
  out.writeUInt32BE(t.length, 0);
  t.copy(out, 4);
  out.writeUInt32BE(b.length, 4 + t.length);
  b.copy(out, 8 + t.length);
  return out;
}
const ed1 = blob('ssh-ed25519', 'one');
const ed2 = blob('ssh-ed25519', 'two');
const rsa = blob('ssh-rsa', 'three');
const line = (hosts: string, key: Buffer) => `${hosts} ${keyTypeOfBlob(key)} ${key.toString('base64')}`;

describe('known_hosts - host patterns', () => {
  it('names a host as OpenSSH records it', () => {
    expect(knownHostName('node1', 22)).toBe('node1');
    expect(knownHostName('10.0.0.1', 2222)).toBe('[10.0.0.1]:2222');
  });

  it('comma lists, wildcards, negation, case', () => {
    expect(hostsFieldMatches('a.example,node1', 'node1')).toBe(true);
    expect(hostsFieldMatches('*.example.org', 'n1.example.org')).toBe(true);
    expect(hostsFieldMatches('n?', 'n1')).toBe(true);
    expect(hostsFieldMatches('n?', 'n12')).toBe(false);
    expect(hostsFieldMatches('*.example.org,!bad.example.org', 'bad.example.org')).toBe(false);
    expect(hostsFieldMatches('NODE1', 'node1')).toBe(true);
    expect(hostsFieldMatches('node1', '[node1]:2222')).toBe(false);
    expect(hostsFieldMatches('[node1]:2222', '[node1]:2222')).toBe(true);
    expect(hostsFieldMatches('10.0.0.1', '10.0.0.10')).toBe(false);
  });

  it('hashed names (|1|salt|hmac-sha1)', () => {
    const salt = randomBytes(20);
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('[node1]:2222').digest('base64')}`;
    expect(hostsFieldMatches(hashed, '[node1]:2222')).toBe(true);
    expect(hostsFieldMatches(hashed, 'node1')).toBe(false);
  });
});

describe('known_hosts - judging a presented key', () => {
  const text = ['# comment', '', line('node1', ed1), `@cert-authority node1 ${keyTypeOfBlob(ed2)} ${ed2.toString('base64')}`, 'broken line', line('other', rsa)].join('\n');
  const lines = parseKnownHosts(text);

  it('skips comments, blank, malformed and @cert-authority lines, keeping line numbers', () => {
    expect(lines.map((l) => [l.line, l.hosts])).toEqual([
      [3, 'node1'],
      [6, 'other'],
    ]);
  });

  it('known, changed (same type, other key), unknown (other types listed), revoked', () => {
    expect(judgeHostKey(lines, 'node1', ed1)).toEqual({ status: 'known', line: 3 });
    expect(judgeHostKey(lines, 'node1', ed2)).toMatchObject({ status: 'changed', line: 3 });
    expect(judgeHostKey(lines, 'other', ed2)).toEqual({ status: 'unknown', otherTypes: ['ssh-rsa'] });
    expect(judgeHostKey(lines, 'nobody', ed1)).toEqual({ status: 'unknown', otherTypes: [] });
    const revoked = parseKnownHosts(`@revoked * ${keyTypeOfBlob(ed1)} ${ed1.toString('base64')}\n${line('node1', ed1)}`);
    expect(judgeHostKey(revoked, 'node1', ed1)).toEqual({ status: 'revoked', line: 1 });
  });
});

describe('shellQuote - the one place values become a remote shell command', () => {
  it('every value reaches the program as one argument, unchanged', () => {
    const values = ['plain', 'a b', "it's", '$HOME', '`id`', '$(id)', 'a\nb', '', '*', '-n', 'x;y|z&w>v', 'A=b', '~/root', '"q"', '\\'];
    const out = execFileSync('sh', ['-c', `printf '%s\\0' ${shellQuote(values)}`], { encoding: 'utf8' });
    expect(out.split('\0').slice(0, -1)).toEqual(values);
  });

  it('leaves safe words bare', () => {
    expect(shellQuote(['sh', '-s', '--', '/usr/bin/node', 'b,c:d@e%f+g.h'])).toBe('sh -s -- /usr/bin/node b,c:d@e%f+g.h');
    // A bare first word A=b would set a variable instead of running a program.
    expect(shellQuote(['A=b', 'x'])).toBe("'A=b' x");
  });
});

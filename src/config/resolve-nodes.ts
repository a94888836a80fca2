/**
 * A `nodes:` list (of a network file or a cluster file) -> NodeSpecs with every default filled. For each
 * SSH setting the file wins, then ~/.ssh/config (a host may be one of its aliases), then the default.
 * Paths are relative to the file that names them; `~/` is the client's home. Node names must be unique.
 */
import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { MarveloError, type SourceLocation } from '../errors.js';
import { asList, type RawNode } from './raw.js';
import { resolveResources } from './resources.js';
import { named } from './shown.js';
import { readSshConfig, type SshConfigFile } from './ssh-config.js';
import type { DocPath, YamlSource } from './source.js';
import type { NodeSpec } from './types.js';

export const NODE_DEFAULTS = {
  port: 22,
  root: '~/.marvelo',
  nodeBinary: 'node',
  groups: ['ALL'],
} as const;

/** Where the list is: its source, and the path of the list in it (['nodes'] in both kinds of file). */
export interface NodeListSource {
  src: YamlSource;
  path: DocPath;
}

export function resolveNodes(raw: readonly RawNode[], { src, path }: NodeListSource): { nodes: NodeSpec[]; errors: MarveloError[] } {
  if (raw.length === 0) return { nodes: [], errors: [] };
  const errors: MarveloError[] = [];
  const dir = dirname(src.file);
  let ssh: SshConfigFile;
  try {
    ssh = readSshConfig();
  } catch (e) {
    return { nodes: [], errors: [e as MarveloError] };
  }
  const seen = new Map<string, SourceLocation>();
  const nodes = raw.map((node, i): NodeSpec => {
    const at = (key: string) => src.valueAt([...path, i, key]);
    const where = src.valueAt([...path, i]);
    const name = node.name ?? node.host;
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      errors.push(
        new MarveloError('MRV_CONFIG_GRAPH', `duplicate node name '${name}': line ${earlier.line} already uses it`, {
          where: at(node.name === undefined ? 'host' : 'name'),
          hint: 'give every node its own name (a node without a name is named after its host)',
        }),
      );
    } else {
      seen.set(name, where);
    }
    const fromSsh = ssh.settingsFor(node.host);
    const host = fromSsh.hostName ?? node.host;
    const user = node.user ?? fromSsh.user ?? clientUserName();
    return {
      name,
      host,
      port: node.port ?? sshPort(fromSsh.port, node.host, ssh.path, at('host'), errors) ?? NODE_DEFAULTS.port,
      user,
      identity: identityOf(node, name, dir, at('identity'), errors) ?? sshIdentity(fromSsh.identityFile, node.host, user),
      knownHosts: node.known_hosts !== undefined ? clientPath(node.known_hosts, dir) : join(homedir(), '.ssh', 'known_hosts'),
      groups: asList(node.groups) ?? [...NODE_DEFAULTS.groups],
      capacity: resolveResources(node.capacity, { owner: `node ${named(name)} capacity`, at: (key) => src.valueAt([...path, i, 'capacity', key]) }, errors),
      root: node.root ?? NODE_DEFAULTS.root,
      nodeBinary: node.node_binary ?? NODE_DEFAULTS.nodeBinary,
      dataHost: node.data_host ?? host,
      where,
    };
  });
  return { nodes, errors };
}

/** A path on the client: `~/...` in the home folder, a relative path relative to `dir`. */
export function clientPath(path: string, dir: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return join(homedir(), path.slice(2));
  return resolve(dir, path);
}

function identityOf(node: RawNode, name: string, dir: string, at: SourceLocation, errors: MarveloError[]): string | undefined {
  if (node.identity === undefined) return undefined;
  const path = clientPath(node.identity, dir);
  if (!existsSync(path)) {
    errors.push(
      new MarveloError('MRV_CONFIG_NODE', `node ${named(name)}: identity ${node.identity} does not exist (looked for ${path})`, {
        where: at,
        hint: `give the private key file, relative to ${dir} or as ~/...; without identity, ssh-agent and ~/.ssh/id_ed25519, id_ecdsa, id_rsa are tried`,
      }),
    );
  }
  return path;
}

/** IdentityFile of ~/.ssh/config: tokens %d %h %r %% expanded; a file that does not exist is skipped, as OpenSSH does. */
function sshIdentity(written: string | undefined, host: string, user: string | undefined): string | undefined {
  if (written === undefined || written.toLowerCase() === 'none') return undefined;
  const expanded = written.replace(/%([dhr%])/g, (_, t: string) => (t === 'd' ? homedir() : t === 'h' ? host : t === 'r' ? (user ?? '') : '%'));
  const path = expanded === '~' || expanded.startsWith('~/') ? clientPath(expanded, homedir()) : isAbsolute(expanded) ? expanded : join(homedir(), expanded);
  return existsSync(path) ? path : undefined;
}

/** Port of ~/.ssh/config, read only when the file gives none. */
function sshPort(written: string | undefined, host: string, file: string, at: SourceLocation, errors: MarveloError[]): number | undefined {
  if (written === undefined) return undefined;
  const port = Number(written);
  if (/^\d+$/.test(written) && port >= 1 && port <= 65535) return port;
  errors.push(
    new MarveloError('MRV_CONFIG_NODE', `${file} gives host ${named(host)} the Port ${named(written)}, which is not a port number`, {
      where: at,
      hint: `fix the Port in ${file}, or give the node a port: in this file`,
    }),
  );
  return undefined;
}

/** The SSH user when neither the file nor ~/.ssh/config names one, as OpenSSH does. */
function clientUserName(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'];
  }
}

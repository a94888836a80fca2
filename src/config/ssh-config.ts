/**
 * What the client's ~/.ssh/config says about a host (HostName, User, Port, IdentityFile), as OpenSSH
 * reads it: the first value of each keyword wins, `Host *` included. `Match exec` is not run.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import SSHConfig from 'ssh-config';
import { MarveloError } from '../errors.js';

export interface SshHostSettings {
  hostName?: string;
  user?: string;
  port?: string;
  /** As written in the file (tokens and ~ not expanded). */
  identityFile?: string;
}

export interface SshConfigFile {
  path: string;
  settingsFor(host: string): SshHostSettings;
}

export function sshConfigPath(): string {
  return join(homedir(), '.ssh', 'config');
}

/** The client's ~/.ssh/config; an absent file says nothing about any host. */
export function readSshConfig(path = sshConfigPath()): SshConfigFile {
  let config: SSHConfig | undefined;
  try {
    config = SSHConfig.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      throw new MarveloError('MRV_CONFIG_NODE', `${path} cannot be read (${code ?? String(e)})`, {
        hint: 'node hosts may be aliases from your SSH config; make the file readable, or remove it',
        cause: e,
      });
    }
  }
  return {
    path,
    settingsFor(host) {
      if (config === undefined) return {};
      const found = config.compute(host, { ignoreCase: true, matchExec: false });
      const first = (key: string) => {
        const v = found[key];
        return Array.isArray(v) ? v[0] : v;
      };
      const settings: SshHostSettings = {};
      const hostName = first('hostname');
      if (hostName !== undefined) settings.hostName = hostName.replaceAll('%h', host).replaceAll('%%', '%');
      const user = first('user');
      if (user !== undefined) settings.user = user;
      const port = first('port');
      if (port !== undefined) settings.port = port;
      const identityFile = first('identityfile');
      if (identityFile !== undefined) settings.identityFile = identityFile;
      return settings;
    },
  };
}

/** The original's config keys and nodes: the cluster file, `head_size`, and notes for the rest. */
import type { Notes } from './notes.js';
import type { JsonValue, OriginalNetwork } from './original.js';

export type YamlNode = Record<string, JsonValue>;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1']);

export function isLocalHost(host: string): boolean {
  return LOCAL_HOSTS.has(host);
}

/** The nodes of the cluster file, in the original's order (LocalNode, the client, is not one). */
export function mapNodes(net: OriginalNetwork, extraHosts: string[], notes: Notes): YamlNode[] {
  const user = net.config.keys.USER;
  const nodes: YamlNode[] = [];
  const seen = new Set<string>();
  for (const node of net.nodes) {
    if (node.bases.includes('LocalNode') || isLocalHost(node.host)) continue;
    seen.add(node.host);
    const out: YamlNode = {};
    if (node.name && node.name !== node.host) out.name = node.name;
    out.host = node.host;
    if (typeof user === 'string' && user !== '') out.user = user;
    const groups = node.groups.filter((g) => g !== 'ALL');
    if (groups.length > 0) out.groups = groups;
    nodes.push(out);
    const subject = `node ${node.name || node.host}`;
    if (node.cpus > 0) {
      notes.changed(subject, `cpus=${node.cpus} (one job per CPU) is no limit here: give the node capacity: { cpu: "${node.cpus}" } and the jobs resources: { cpu } to book CPUs`);
    }
    if (node.port !== null) notes.dropped(subject, `port=${node.port} was dispy's port; marvelo reaches a node over SSH (port: in the cluster file is the SSH port)`);
  }
  for (const host of extraHosts) {
    if (seen.has(host) || isLocalHost(host)) continue;
    seen.add(host);
    nodes.push(typeof user === 'string' && user !== '' ? { host, user } : { host });
  }
  for (const entry of net.unregistered_nodes) {
    const subject = `NODES entry ${entry.repr}`;
    if (entry.cls === 'MultiNode') notes.dropped(subject, 'a MultiNode did nothing in the original (it was never given to the cluster)');
    else if (entry.cls === 'str') notes.dropped(subject, 'CSV node files were never loaded by the original (its loader was broken); list those nodes in the cluster file');
    else notes.dropped(subject, `a ${entry.cls} is not a node`);
  }
  return nodes;
}

/** `head_size` of the network, if not the default; notes for every config key. */
export function mapConfigKeys(net: OriginalNetwork, hasNodes: boolean, notes: Notes): { headSize?: number } {
  const keys = net.config.keys;
  const result: { headSize?: number } = {};
  const say = (key: string, kind: 'dropped' | 'changed', text: string) => notes[kind](`config ${key}`, text);
  const headSize = keys.HEAD_SIZE;
  if (typeof headSize === 'number' && headSize !== 1) {
    if (Number.isInteger(headSize) && headSize >= 1 && headSize <= 4) result.headSize = headSize;
    else say('HEAD_SIZE', 'dropped', `${String(headSize)} bytes: a head is 1 to 4 bytes here (the original broke above 1); the default, 1, is used`);
  }
  if (keys.USER !== undefined && keys.USER !== '' && !hasNodes) say('USER', 'dropped', 'the network has no nodes to log in to');
  if (typeof keys.REMOTE_ROOT === 'string' && keys.REMOTE_ROOT !== '') {
    say('REMOTE_ROOT', 'changed', "each node's root: (default ~/.marvelo) holds a file cache and one folder per run, removed when the run ends; the original removed REMOTE_ROOT with rm -r at every start. Add root: to a node to choose its folder");
  }
  if (keys.LOG_LEVEL !== undefined || keys.LOG_FILE !== undefined) {
    say(keys.LOG_FILE !== undefined ? 'LOG_FILE' : 'LOG_LEVEL', 'changed', 'every run is recorded (marvelo runs, marvelo logs <run>): its events, job output and failures');
  }
  if (typeof keys.CLIENT_IP === 'string' && keys.CLIENT_IP !== '') {
    say('CLIENT_IP', 'dropped', "not needed: the client reaches the nodes over SSH and jobs connect to each other directly (a node's data_host: sets the address others reach it at)");
  }
  if (keys.DEBUG_WINDOW === true) say('DEBUG_WINDOW', 'changed', 'marvelo run prints every line a job prints, prefixed job@node; marvelo logs -f <run> and marvelo run --ui show them too');
  if (keys.PRE_COPY !== undefined) {
    say('PRE_COPY', 'changed', 'files are cached by content on each node and uploaded only when missing; a job with on_failure: restart is made ready on every node it may move to when the run starts');
  }
  if (keys.PULSE_INTERVAL !== undefined) {
    say('PULSE_INTERVAL', 'dropped', 'heartbeats are not configurable; how fast each fault is noticed is in docs/failures.md');
  }
  if (keys.XML_ARGS !== undefined) say('XML_ARGS', 'dropped', "the original ignored it too; the XML file is read with the original's default tag names");
  for (const key of net.config.other_keys) {
    say(key, 'dropped', 'not a MARVELO setting; a value the jobs need goes in their params');
  }
  return result;
}

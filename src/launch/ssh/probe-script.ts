/**
 * What one exec learns about a node: a POSIX sh script (dash is /bin/sh on Debian: no bash-isms), sent on
 * stdin to `sh -s -- NODE_BINARY ROOT`, so no value is ever parsed by the remote login shell.
 * It prints `key=value` lines.
 */
export const PROBE_SCRIPT = `
node_bin=$1
root=$2
case $root in
  '~') root=$HOME ;;
  '~/'*) root=$HOME/\${root#??} ;;
esac
echo "os=$(uname -s)"
echo "arch=$(uname -m)"
echo "home=$HOME"
echo "root=$root"
echo "node=$("$node_bin" --version 2>/dev/null)"
cores=$(nproc 2>/dev/null) || cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null)
echo "cores=$cores"
if [ -r /proc/meminfo ]; then
  echo "mem_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)"
else
  echo "mem_bytes=$(sysctl -n hw.memsize 2>/dev/null)"
fi
dir=$root
while [ ! -d "$dir" ]; do dir=$(dirname "$dir"); done
echo "disk_free_kb=$(df -Pk "$dir" 2>/dev/null | awk 'NR == 2 { print $4 }')"
if [ -d "$root/cache" ]; then
  echo "cache_kb=$(du -sk "$root/cache" 2>/dev/null | awk '{ print $1 }')"
else
  echo "cache_kb=0"
fi
`;

export interface ProbeOutput {
  /** Node's names: process.platform and process.arch as they would be on that node. */
  platform: string;
  arch: string;
  /** What uname says, e.g. `Linux x86_64`. */
  uname: string;
  home: string;
  /** The node's root with `~/` expanded. */
  root: string;
  /** `v20.11.1`, or undefined when the node binary does not run. */
  nodeVersion: string | undefined;
  cores: number | undefined;
  memoryBytes: number | undefined;
  diskFreeBytes: number | undefined;
  cacheBytes: number;
}

export function parseProbeOutput(text: string): ProbeOutput {
  const v = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) v.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  const num = (key: string, scale = 1): number | undefined => {
    const s = v.get(key);
    return s !== undefined && /^\d+$/.test(s) ? Number(s) * scale : undefined;
  };
  const os = v.get('os') ?? '';
  const machine = v.get('arch') ?? '';
  const node = v.get('node') ?? '';
  return {
    platform: platformOf(os),
    arch: archOf(machine),
    uname: `${os} ${machine}`.trim(),
    home: v.get('home') ?? '',
    root: v.get('root') ?? '',
    nodeVersion: /^v\d+\.\d+\.\d+/.test(node) ? node : undefined,
    cores: num('cores'),
    memoryBytes: num('mem_kb', 1024) ?? num('mem_bytes'),
    diskFreeBytes: num('disk_free_kb', 1024),
    cacheBytes: num('cache_kb', 1024) ?? 0,
  };
}

const PLATFORMS: Record<string, string> = { Linux: 'linux', Darwin: 'darwin', FreeBSD: 'freebsd', OpenBSD: 'openbsd', SunOS: 'sunos', AIX: 'aix' };

/** `uname -s` as Node's process.platform. */
export function platformOf(uname: string): string {
  return PLATFORMS[uname] ?? uname.toLowerCase();
}

const ARCHES: Record<string, string> = {
  x86_64: 'x64',
  amd64: 'x64',
  aarch64: 'arm64',
  arm64: 'arm64',
  armv6l: 'arm',
  armv7l: 'arm',
  i386: 'ia32',
  i686: 'ia32',
  ppc64le: 'ppc64',
  s390x: 's390x',
  riscv64: 'riscv64',
  loongarch64: 'loong64',
};

/** `uname -m` as Node's process.arch. */
export function archOf(machine: string): string {
  return ARCHES[machine] ?? machine;
}

/**
 * Whether a CPU limit (`limits: { cpu }`) can be enforced on this machine: it needs a cgroup v2
 * hierarchy with the cpu controller, in a cgroup this process may write (cpu.max of a child cgroup per
 * worker). Where it cannot, the run says so once, naming the jobs whose CPU limit is not enforced.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type CpuCgroup = { usable: true; dir: string } | { usable: false; why: string };

/** The texts the check reads: /proc/self/cgroup, /proc/self/mountinfo, and a file or access test under the mount. */
export interface CgroupFiles {
  procCgroup: string | undefined;
  mountinfo: string | undefined;
  read: (path: string) => string | undefined;
  writable: (path: string) => boolean;
}

export function cpuCgroup(files: CgroupFiles): CpuCgroup {
  if (files.procCgroup === undefined || files.mountinfo === undefined) return { usable: false, why: 'this system has no Linux cgroups' };
  const v2 = files.procCgroup.split('\n').find((line) => line.startsWith('0::'));
  if (v2 === undefined) return { usable: false, why: 'this process is in no cgroup v2 hierarchy (cgroups v1 only)' };
  const mount = files.mountinfo
    .split('\n')
    .map((line) => line.split(' - '))
    .find(([, after]) => after?.startsWith('cgroup2 '))?.[0]
    ?.split(' ')[4];
  if (mount === undefined) return { usable: false, why: 'no cgroup v2 file system is mounted' };
  const dir = join(mount, v2.slice(3)).replace(/(.)\/$/, '$1');
  const controllers = files.read(join(dir, 'cgroup.controllers'));
  if (controllers === undefined || !controllers.trim().split(/\s+/).includes('cpu')) {
    return { usable: false, why: 'the cgroup v2 hierarchy has no cpu controller (a cgroups v1 hierarchy holds it)' };
  }
  if (!files.writable(dir)) return { usable: false, why: `this process may not create cgroups under ${dir}` };
  return { usable: true, dir };
}

/** This machine's answer. */
export function localCpuCgroup(): CpuCgroup {
  return cpuCgroup({
    procCgroup: readOrUndefined('/proc/self/cgroup'),
    mountinfo: readOrUndefined('/proc/self/mountinfo'),
    read: readOrUndefined,
    writable: (path) => {
      try {
        accessSync(path, constants.W_OK);
        return true;
      } catch {
        return false;
      }
    },
  });
}

/**
 * The notice for jobs with a CPU limit, or undefined when no job has one. No version of the runtime yet
 * writes cpu.max, so even a usable cgroup v2 leaves the limit unenforced; the notice says which case it is.
 */
export function cpuLimitNotice(jobs: readonly { name: string; limits?: { cpuMillis?: number } }[], cgroup: CpuCgroup): string | undefined {
  const limited = jobs.filter((j) => j.limits?.cpuMillis !== undefined).map((j) => `'${j.name}'`);
  if (limited.length === 0) return undefined;
  const why = cgroup.usable ? 'this version of marvelo does not write cgroup v2 cpu.max yet' : cgroup.why;
  return `the CPU limit of job${limited.length === 1 ? '' : 's'} ${limited.join(', ')} is not enforced: ${why}; ${limited.length === 1 ? 'it' : 'they'} may use more CPU than the limit`;
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

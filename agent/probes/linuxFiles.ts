// Tiny pure parsers for the Linux files the memory probe reads besides meminfo and PSI.

/**
 * `/proc/self/cgroup` → the cgroup v2 path (`0::/system.slice/x.service`). Null at the root (`/`),
 * where the cgroup's pressure is the system's, and on v1-only machines, which have no `0::` line.
 */
export function parseCgroupV2Path(text: string): string | null {
  const m = /^0::(\/.*)$/m.exec(text);
  const path = m?.[1]?.trim();
  // `..` cannot appear in a real cgroup path; refusing it keeps the later file read under /sys/fs/cgroup.
  if (path === undefined || path === '/' || path.split('/').includes('..')) return null;
  return path.replace(/\/+$/, '');
}

/** `/proc/cpuinfo` → the first `model name` (x86). ARM kernels often print none: null. */
export function parseCpuModel(text: string): string | null {
  const m = /^model name\s*:\s*(.+)$/m.exec(text);
  const name = m?.[1]?.trim().replace(/\s+/g, ' ');
  return name === undefined || name === '' ? null : name;
}

/** `/etc/os-release` → `PRETTY_NAME` (`Debian GNU/Linux 12 (bookworm)`), quotes and escapes removed. */
export function parseOsPrettyName(text: string): string | null {
  const m = /^PRETTY_NAME=(.*)$/m.exec(text);
  let v = m?.[1]?.trim();
  if (v === undefined) return null;
  const q = v[0];
  if ((q === '"' || q === "'") && v.length >= 2 && v.endsWith(q)) v = v.slice(1, -1);
  // Shell quoting rules (os-release(5)): a backslash makes the next character literal.
  v = v.replace(/\\(.)/g, '$1').trim();
  return v === '' ? null : v;
}

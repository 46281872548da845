// DNS rebinding defence: a web page on evil.example can point that name at 127.0.0.1, and the
// browser then treats this server as evil.example's own origin (the attack on Ollama,
// CVE-2024-28224). Such requests still carry `Host: evil.example`, so only names that mean this
// machine, the bound address and names the operator allowed are served.

export interface HostPolicy {
  /** The address the server listens on (127.0.0.1, ::1, 0.0.0.0, 192.168.1.5, ...). */
  boundHost: string;
  /** --allowed-hosts: exact names, `*.example.com` for subdomains, or `*` to turn the guard off. */
  allowedHosts: readonly string[];
}

export type HostDecision = { allowed: true } | { allowed: false; host: string; message: string };

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);
const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '']);

/** The name part of a Host header ("[::1]:8080" -> "::1", "Example.COM.:80" -> "example.com"). */
export function hostName(header: string): string {
  const trimmed = header.trim().toLowerCase();
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(trimmed);
  const name = bracketed ? (bracketed[1] ?? '') : trimmed.replace(/:\d*$/, '');
  return name.replace(/\.$/, '');
}

function isIpLiteral(name: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || (name.includes(':') && /^[0-9a-f:.]+$/.test(name));
}

function matchesAllowed(name: string, allowed: string): boolean {
  const entry = hostName(allowed);
  if (entry.startsWith('*.')) return name.endsWith(entry.slice(1));
  return name === entry;
}

export function checkHost(header: string | undefined, policy: HostPolicy): HostDecision {
  // HTTP/1.0 clients may send no Host; browsers always do, so rebinding cannot come this way.
  if (header === undefined || header.trim() === '') return { allowed: true };
  if (policy.allowedHosts.includes('*')) return { allowed: true };
  const name = hostName(header);
  const bound = hostName(policy.boundHost.includes(':') && !policy.boundHost.startsWith('[') ? `[${policy.boundHost}]` : policy.boundHost);
  const allowed =
    LOOPBACK_NAMES.has(name) ||
    name.endsWith('.localhost') || // browsers resolve *.localhost to loopback themselves, never by DNS
    name === bound ||
    // Listening on every interface: any address of this machine. A bare IP cannot be rebound.
    (WILDCARD_BINDS.has(bound) && isIpLiteral(name)) ||
    policy.allowedHosts.some((entry) => matchesAllowed(name, entry));
  if (allowed) return { allowed: true };
  return {
    allowed: false,
    host: name,
    message:
      `Requests addressed to the host name "${name}" are refused, because a web page could point that name at this machine (DNS rebinding). ` +
      `Use http://localhost or http://127.0.0.1, or, if you reach Hearth by this name on purpose, start it with --allowed-hosts ${name} (ALLOWED_HOSTS).`,
  };
}

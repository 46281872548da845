// Which IP addresses a download asked for by an API request must not reach: this machine
// (loopback, unspecified), the local network (private, link-local, CGNAT, unique-local) and
// multicast/broadcast. Otherwise a request could make the server fetch from services that only
// trust it because they are on the same machine or network (LocalAI's SSRF class of bug).
// Pure text in, answer out; the sidecar resolves names and asks this about every address.

/** The 4 bytes of a dotted IPv4 address, or undefined. */
function ipv4Bytes(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p))) return undefined;
  const bytes = parts.map(Number);
  return bytes.every((b) => b <= 255) ? bytes : undefined;
}

/** The 8 groups of an IPv6 address (zone and embedded IPv4 allowed), or undefined. */
function ipv6Groups(text: string): number[] | undefined {
  let body = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const tail: number[] = [];
  const dotted = /(?:^|:)(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  if (dotted) {
    const v4 = ipv4Bytes(dotted[1] ?? '');
    if (v4 === undefined) return undefined;
    tail.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    // What is left ends in ':' ("::ffff:") or '::' ("::"); keep a '::', drop a lone separator.
    const prefix = body.slice(0, body.length - (dotted[1] ?? '').length);
    body = prefix.endsWith('::') ? prefix : prefix.slice(0, -1);
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const read = (part: string | undefined): number[] | undefined => {
    if (part === undefined || part === '') return [];
    const groups = part.split(':');
    return groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g)) ? groups.map((g) => parseInt(g, 16)) : undefined;
  };
  const head = read(halves[0]);
  const rest = read(halves[1]);
  if (head === undefined || rest === undefined) return undefined;
  const known = head.length + rest.length + tail.length;
  if (halves.length === 1) return known === 8 ? [...head, ...tail] : undefined;
  if (known > 7) return undefined;
  return [...head, ...new Array<number>(8 - known).fill(0), ...rest, ...tail];
}

function isPrivateIpv4([a = 0, b = 0, c = 0]: number[]): boolean {
  return (
    a === 0 || // "this network", 0.0.0.0 reaches this machine
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local, cloud metadata (169.254.169.254)
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && c === 0) || // IETF protocol assignments
    (a === 198 && (b === 18 || b === 19)) || // benchmarking networks
    a >= 224 // multicast, reserved, broadcast
  );
}

/** True for addresses a request-given download must not reach; also for text that is no IP address. */
export function isPrivateAddress(address: string): boolean {
  const v4 = ipv4Bytes(address);
  if (v4 !== undefined) return isPrivateIpv4(v4);
  const g = ipv6Groups(address);
  if (g === undefined) return true;
  const [g0 = 0, , , , , g5 = 0, g6 = 0, g7 = 0] = g;
  const embedded = [g6 >> 8, g6 & 255, g7 >> 8, g7 & 255];
  if (g.slice(0, 6).every((x) => x === 0)) return g6 === 0 && g7 <= 1 ? true : isPrivateIpv4(embedded); // ::, ::1, IPv4-compatible
  if (g.slice(0, 5).every((x) => x === 0) && g5 === 0xffff) return isPrivateIpv4(embedded); // IPv4-mapped ::ffff:a.b.c.d
  if (g0 === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return isPrivateIpv4(embedded); // NAT64
  if (g0 === 0x2002) return isPrivateIpv4([g[1]! >> 8, g[1]! & 255, g[2]! >> 8, g[2]! & 255]); // 6to4 wraps an IPv4 address
  return (
    (g0 & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (g0 & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (g0 & 0xffc0) === 0xfec0 || // old site-local fec0::/10
    (g0 & 0xff00) === 0xff00 // multicast
  );
}

/** An IP literal as a URL host writes it ("[::1]" -> "::1"), or undefined for a name. */
export function ipLiteral(hostname: string): string | undefined {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return ipv4Bytes(bare) !== undefined || (bare.includes(':') && ipv6Groups(bare) !== undefined) ? bare : undefined;
}

/**
 * The network-address guard: which resolved IP addresses a fetch may connect to.
 *
 * Only globally routable unicast addresses pass by default. Loopback, private (RFC 1918), link-local (including the
 * 169.254.169.254 cloud metadata address), unique-local, unspecified, multicast, broadcast, CGNAT, reserved and
 * documentation ranges are refused unless private networks are allowed. An IPv6 form that embeds an IPv4 address
 * (IPv4-mapped, IPv4-compatible, IPv4-translated, NAT64, 6to4, Teredo) is judged by the IPv4 address it embeds. The check runs inside the socket's DNS `lookup`, so the address connected to
 * is the address checked (no time-of-check/time-of-use gap, no DNS rebinding between check and connect).
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { createRequire } from 'node:module';
import type * as IpaddrModule from 'ipaddr.js';
import { WirediffError } from '../core/errors.js';

// ipaddr.js is CommonJS with `export =`; loading it through require keeps its types exact for both tsc and the
// type-aware linter (a default import of an `export =` module is typed as an error by the lint project service).
const ipaddr = createRequire(import.meta.url)('ipaddr.js') as typeof IpaddrModule;
type IP = ReturnType<typeof ipaddr.parse>;

export interface AddressPolicy {
  /** When true, every address is allowed (local use, tests). */
  readonly allowPrivateNetwork: boolean;
  /** Addresses or CIDR ranges allowed even when private networks are refused (e.g. one intranet host). */
  readonly allowedAddresses?: readonly string[];
}

type ParsedRange = [IP, number];

/** Parses an allow-list entry (`10.1.2.3`, `10.1.0.0/16`, `::1`, `fd00::/8`); throws E_CONFIG on a bad entry. */
export function parseAllowedAddress(entry: string): ParsedRange {
  try {
    if (entry.includes('/')) return ipaddr.parseCIDR(entry);
    const addr = ipaddr.parse(entry);
    return [addr, addr.kind() === 'ipv4' ? 32 : 128];
  } catch (cause) {
    throw new WirediffError(
      'E_CONFIG',
      `allowedAddresses: expected an IP address or CIDR range, received ${JSON.stringify(entry)}`,
      { cause },
    );
  }
}

type IPv6 = InstanceType<typeof ipaddr.IPv6>;
type IPv4 = InstanceType<typeof ipaddr.IPv4>;

/** The IPv4 address in 16-bit parts `hi`, `lo` (XOR-ed with `mask`, for Teredo's obfuscated client address). */
function ipv4From(hi: number, lo: number, mask = 0): IPv4 {
  const n = (((hi << 16) | lo) ^ mask) >>> 0;
  return new ipaddr.IPv4([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

/**
 * The IPv4 addresses an IPv6 address embeds, with the name of the form: IPv4-mapped (`::ffff:0:0/96`),
 * IPv4-compatible (`::/96`, deprecated, but still routed to the IPv4 address by some stacks), IPv4-translated
 * (`::ffff:0:0:0/96`), NAT64 (`64:ff9b::/96`, `64:ff9b:1::/48`), 6to4 (`2002::/16`) and Teredo (`2001::/32`, server
 * and client). Empty for every other address.
 */
export function embeddedIPv4(address: IPv6): { form: string; ipv4: IPv4[] } | undefined {
  const p = address.parts;
  const zeros = (from: number, to: number): boolean => p.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && p[5] === 0xffff) return { form: 'IPv4-mapped', ipv4: [ipv4From(p[6]!, p[7]!)] };
  if (zeros(0, 4) && p[4] === 0xffff && p[5] === 0) {
    return { form: 'IPv4-translated', ipv4: [ipv4From(p[6]!, p[7]!)] };
  }
  // ::/96 minus :: and ::1, which are the IPv6 unspecified and loopback addresses, not IPv4 ones.
  if (zeros(0, 6) && !(p[6] === 0 && p[7]! <= 1)) {
    return { form: 'IPv4-compatible', ipv4: [ipv4From(p[6]!, p[7]!)] };
  }
  if (p[0] === 0x64 && p[1] === 0xff9b && (zeros(2, 6) || p[2] === 1)) {
    return { form: 'NAT64', ipv4: [ipv4From(p[6]!, p[7]!)] };
  }
  if (p[0] === 0x2002) return { form: '6to4', ipv4: [ipv4From(p[1]!, p[2]!)] };
  if (p[0] === 0x2001 && p[1] === 0) {
    return { form: 'Teredo', ipv4: [ipv4From(p[2]!, p[3]!), ipv4From(p[6]!, p[7]!, 0xffffffff)] };
  }
  return undefined;
}

function inAllowList(addr: IP, policy: AddressPolicy): boolean {
  for (const entry of policy.allowedAddresses ?? []) {
    const range = parseAllowedAddress(entry);
    if (addr.kind() === range[0].kind() && addr.match(range)) return true;
  }
  return false;
}

/**
 * Why `address` is refused under `policy`, or null when it is allowed.
 * The reason names the ipaddr.js range (`loopback`, `private`, `linkLocal`, …). An IPv6 address that embeds an IPv4
 * address is judged by that address (every one of them, for Teredo): `::127.0.0.1`, `::ffff:10.0.0.1` and
 * `64:ff9b::a9fe:a9fe` are refused as `loopback`, `private` and `linkLocal`; mapped, compatible, translated and NAT64
 * forms of a public IPv4 address pass. 6to4 and Teredo tunnel through relays to whatever IPv4 host they embed, and
 * no news server needs them, so they are refused even when the embedded address is public (`6to4`, `teredo`).
 */
export function blockedReason(address: string, policy: AddressPolicy): string | null {
  if (policy.allowPrivateNetwork) return null;
  let parsed: IP;
  try {
    // Strip an IPv6 zone id (fe80::1%eth0): it does not change the range.
    parsed = ipaddr.parse(address.replace(/%.*$/, ''));
  } catch {
    return 'not an IP address';
  }
  if (inAllowList(parsed, policy)) return null;
  if (parsed.kind() === 'ipv4') {
    const range = parsed.range();
    return range === 'unicast' ? null : range;
  }
  const embedded = embeddedIPv4(parsed as IPv6);
  if (embedded === undefined) {
    const range = parsed.range();
    return range === 'unicast' ? null : range;
  }
  let allowedByList = true;
  for (const v4 of embedded.ipv4) {
    if (inAllowList(v4, policy)) continue;
    allowedByList = false;
    const range = v4.range();
    if (range !== 'unicast') return range;
  }
  if (allowedByList) return null;
  return embedded.form === '6to4' ? '6to4' : embedded.form === 'Teredo' ? 'teredo' : null;
}

/** Throws E_FETCH_BLOCKED_ADDRESS when `address` is refused. */
export function assertAddressAllowed(address: string, host: string, policy: AddressPolicy): void {
  const reason = blockedReason(address, policy);
  if (reason !== null) {
    throw new WirediffError(
      'E_FETCH_BLOCKED_ADDRESS',
      `refused to connect to ${host} (${address}): ${reason} address, and private networks are not allowed ` +
        `(to fetch from a local or private host: "wirediff add URL --allow-private-network", or set ` +
        `allowPrivateNetwork on the source or in the config's fetch section, or list the address in fetch.allowedAddresses)`,
    );
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** The `lookup` signature node:net accepts. */
export type GuardedLookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

/** Resolves every address of a host (the system resolver by default; replaceable for tests). */
export type Resolver = (
  hostname: string,
  options: LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const systemResolver: Resolver = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, callback);
};

/**
 * A `lookup` for node:http/https `request` that resolves with the system resolver and refuses the whole answer when
 * any resolved address is blocked (a public name with a private record is treated as hostile, not filtered).
 */
export function guardedLookup(policy: AddressPolicy, resolver: Resolver = systemResolver): GuardedLookup {
  return (hostname, options, callback) => {
    resolver(hostname, options, (err, addresses) => {
      if (err) {
        callback(err, '');
        return;
      }
      if (addresses.length === 0) {
        callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
        return;
      }
      try {
        for (const a of addresses) assertAddressAllowed(a.address, hostname, policy);
      } catch (blocked) {
        callback(blocked as NodeJS.ErrnoException, '');
        return;
      }
      if (options.all === true) {
        callback(null, addresses);
      } else {
        const first = addresses[0]!;
        callback(null, first.address, first.family);
      }
    });
  };
}

/** The bare IP of a URL host when the host is an IP literal (`[::1]` → `::1`), else null. */
export function literalIp(hostname: string): string | null {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) === 0 ? null : bare;
}

/**
 * The network-address guard: which resolved IP addresses a fetch may connect to.
 *
 * Only globally routable unicast addresses pass by default. Loopback, private (RFC 1918), link-local (including the
 * 169.254.169.254 cloud metadata address), unique-local, unspecified, multicast, broadcast, CGNAT, reserved and
 * documentation ranges, and IPv6 forms that embed an IPv4 address (IPv4-mapped, NAT64, 6to4, Teredo) are refused
 * unless private networks are allowed. The check runs inside the socket's DNS `lookup`, so the address connected to
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

/**
 * Why `address` is refused under `policy`, or null when it is allowed.
 * The reason names the ipaddr.js range (`loopback`, `private`, `linkLocal`, …).
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
  // Compare IPv4-mapped IPv6 (::ffff:127.0.0.1) as the IPv4 address it reaches.
  const effective =
    parsed.kind() === 'ipv6' && (parsed as InstanceType<typeof ipaddr.IPv6>).isIPv4MappedAddress()
      ? (parsed as InstanceType<typeof ipaddr.IPv6>).toIPv4Address()
      : parsed;
  for (const entry of policy.allowedAddresses ?? []) {
    const range = parseAllowedAddress(entry);
    if (effective.kind() === range[0].kind() && effective.match(range)) return null;
  }
  const range = effective.range();
  return range === 'unicast' ? null : range;
}

/** Throws E_FETCH_BLOCKED_ADDRESS when `address` is refused. */
export function assertAddressAllowed(address: string, host: string, policy: AddressPolicy): void {
  const reason = blockedReason(address, policy);
  if (reason !== null) {
    throw new WirediffError(
      'E_FETCH_BLOCKED_ADDRESS',
      `refused to connect to ${host} (${address}): ${reason} address, and private networks are not allowed ` +
        `(set allowPrivateNetwork to fetch from local or private hosts)`,
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

import { describe, expect, it } from 'vitest';
import { isWirediffError } from '../../src/core/errors.js';
import { guardedLookup } from '../../src/sources/address-guard.js';
import { blockedReason, type AddressPolicy } from '../../src/sources/index.js';

const refuse = { allowPrivateNetwork: false };

describe('blockedReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fe80::1%eth0', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    // IPv6 forms that embed an IPv4 address are judged by that address.
    ['::127.0.0.1', 'loopback'], // IPv4-compatible (Node's URL parser writes [::127.0.0.1] as ::7f00:1)
    ['::7f00:1', 'loopback'],
    ['::a00:1', 'private'],
    ['::a9fe:a9fe', 'linkLocal'],
    ['::ffff:0:7f00:1', 'loopback'], // IPv4-translated
    ['0:0:0:0:0:ffff:7f00:1', 'loopback'],
    ['64:ff9b::a00:1', 'private'], // NAT64
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b:1::a9fe:a9fe', 'linkLocal'], // local-use NAT64 (RFC 8215)
    ['2002:7f00:1::1', 'loopback'], // 6to4
    ['2002:c0a8:101::1', 'private'],
    ['2002:808:808::1', '6to4'], // a public 6to4 relay: still a tunnel, still refused
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'loopback'], // Teredo, client 127.0.0.1 (obfuscated)
    ['2001:0:a00:1:8000:63bf:f7f7:f7f7', 'private'], // Teredo, server 10.0.0.1
    ['2001:0:808:808:8000:63bf:f7f7:f7f7', 'teredo'],
  ])('refuses %s (%s)', (address, range) => {
    expect(blockedReason(address, refuse)).toBe(range);
  });

  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '1.1.1.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '::808:808',
    '64:ff9b::808:808',
  ])('allows %s', (address) => {
    expect(blockedReason(address, refuse)).toBeNull();
  });

  it('allows everything when private networks are allowed', () => {
    expect(blockedReason('127.0.0.1', { allowPrivateNetwork: true })).toBeNull();
    expect(blockedReason('169.254.169.254', { allowPrivateNetwork: true })).toBeNull();
  });

  it('allows only the listed addresses and ranges from allowedAddresses', () => {
    const policy = { allowPrivateNetwork: false, allowedAddresses: ['10.1.0.0/16', '127.0.0.2', 'fd00:1::/32'] };
    expect(blockedReason('10.1.2.3', policy)).toBeNull();
    expect(blockedReason('::ffff:10.1.2.3', policy)).toBeNull();
    expect(blockedReason('10.2.0.1', policy)).toBe('private');
    expect(blockedReason('127.0.0.2', policy)).toBeNull();
    expect(blockedReason('127.0.0.1', policy)).toBe('loopback');
    expect(blockedReason('fd00:1::5', policy)).toBeNull();
    expect(blockedReason('fd00:2::5', policy)).toBe('uniqueLocal');
    expect(blockedReason('::a01:203', policy)).toBeNull(); // ::10.1.2.3
    expect(blockedReason('64:ff9b::a01:203', policy)).toBeNull();
    expect(blockedReason('64:ff9b::a02:1', policy)).toBe('private');
  });

  it('treats a non-address as blocked', () => {
    expect(blockedReason('example.com', refuse)).toBe('not an IP address');
  });
});

describe('guardedLookup', () => {
  const lookup = (policy: AddressPolicy, all: boolean) =>
    new Promise<{ err: NodeJS.ErrnoException | null; address: unknown; family: unknown }>((resolve) => {
      guardedLookup(policy)('localhost', { all }, (err, address, family) => resolve({ err, address, family }));
    });

  it('answers in both callback shapes node:net uses when allowed', async () => {
    const one = await lookup({ allowPrivateNetwork: true }, false);
    expect(one.err).toBeNull();
    expect(typeof one.address).toBe('string');
    expect([4, 6]).toContain(one.family);
    const all = await lookup({ allowPrivateNetwork: true }, true);
    expect(all.err).toBeNull();
    expect(Array.isArray(all.address)).toBe(true);
  });

  it('fails the lookup with E_FETCH_BLOCKED_ADDRESS when refused', async () => {
    const { err } = await lookup(refuse, true);
    expect(isWirediffError(err, 'E_FETCH_BLOCKED_ADDRESS')).toBe(true);
    expect(err!.message).toContain('localhost');
  });

  it('passes resolver errors through', async () => {
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      guardedLookup(refuse)('no-such-host.invalid', {}, (e) => resolve(e));
    });
    expect(err?.code).toMatch(/ENOTFOUND|EAI_AGAIN/);
  });
});

describe('guardedLookup with a mixed DNS answer (rebinding-style)', () => {
  const fakeResolver =
    (addresses: { address: string; family: number }[]) =>
    (_host: string, _opts: unknown, cb: (err: NodeJS.ErrnoException | null, a: typeof addresses) => void) =>
      cb(null, addresses);

  const run = (addresses: { address: string; family: number }[], all: boolean) =>
    new Promise<{ err: NodeJS.ErrnoException | null; address: unknown }>((resolve) => {
      guardedLookup(refuse, fakeResolver(addresses))('news.example', { all }, (err, address) =>
        resolve({ err, address }),
      );
    });

  it('refuses the whole answer when any address is private', async () => {
    const { err } = await run(
      [
        { address: '93.184.215.14', family: 4 },
        { address: '10.0.0.1', family: 4 },
      ],
      true,
    );
    expect(isWirediffError(err, 'E_FETCH_BLOCKED_ADDRESS')).toBe(true);
    expect(err!.message).toContain('10.0.0.1');
  });

  it('passes an all-public answer through unchanged, in both shapes', async () => {
    const answer = [
      { address: '93.184.215.14', family: 4 },
      { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
    ];
    expect((await run(answer, true)).address).toEqual(answer);
    expect((await run(answer, false)).address).toBe('93.184.215.14');
  });

  it('fails an empty answer with ENOTFOUND', async () => {
    expect((await run([], true)).err?.code).toBe('ENOTFOUND');
  });
});

// The pure address classification behind the SSRF guard.
import { describe, expect, it } from 'vitest';
import { ipLiteral, isPrivateAddress } from '../../shared/downloads/private-address.js';

describe('private addresses', () => {
  it('refuses loopback, unspecified, private, link-local, CGNAT and multicast, in IPv4 and IPv6 spellings', () => {
    const refused = [
      '127.0.0.1', '127.255.0.9', '0.0.0.0', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', '100.64.0.1', '100.127.0.1', '224.0.0.1', '255.255.255.255',
      '::1', '::', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::127.0.0.1', 'fe80::1', 'fe80::1%eth0', 'fd12:3456::1', 'fc00::1', 'ff02::1', '64:ff9b::7f00:1', '2002:7f00:1::1', '[::1]',
    ];
    for (const address of refused) expect(isPrivateAddress(address), address).toBe(true);
  });

  it('lets public addresses through', () => {
    for (const address of ['8.8.8.8', '93.184.216.34', '172.32.0.1', '100.128.0.1', '192.169.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2a00:1450::1']) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });

  it('treats text that is no address as refused, and tells IP literals from names', () => {
    expect(isPrivateAddress('example.com')).toBe(true);
    expect(isPrivateAddress('1:2:3')).toBe(true);
    expect(ipLiteral('[::1]')).toBe('::1');
    expect(ipLiteral('10.0.0.1')).toBe('10.0.0.1');
    expect(ipLiteral('example.com')).toBeUndefined();
  });
});

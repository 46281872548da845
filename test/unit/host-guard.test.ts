// The Host check's decision, alone: which names a server bound where answers to.
import { describe, expect, it } from 'vitest';
import { checkHost, hostName } from '../../shared/http/host-guard.js';

const loopback = { boundHost: '127.0.0.1', allowedHosts: [] };

describe('host guard', () => {
  it('reads the name out of a Host header', () => {
    expect(hostName('[::1]:8080')).toBe('::1');
    expect(hostName('Example.COM.:80')).toBe('example.com');
    expect(hostName('localhost')).toBe('localhost');
  });

  it('serves loopback names on any port, and requests without a Host', () => {
    for (const host of ['127.0.0.1:8080', 'localhost:1', 'LOCALHOST', '[::1]:9', 'app.localhost:5173', undefined]) {
      expect(checkHost(host, loopback), String(host)).toEqual({ allowed: true });
    }
  });

  it('refuses other names, saying how to allow them', () => {
    const decision = checkHost('evil.example:8080', loopback);
    expect(decision).toMatchObject({ allowed: false, host: 'evil.example' });
    expect(decision.allowed || decision.message).toContain('--allowed-hosts evil.example');
    // A bound loopback server is not reachable by a LAN address but through a proxy: still refused.
    expect(checkHost('192.168.1.5', loopback).allowed).toBe(false);
    expect(checkHost('localhost.evil.example', loopback).allowed).toBe(false);
  });

  it('serves names from --allowed-hosts, subdomain patterns, and everything with *', () => {
    const policy = { boundHost: '127.0.0.1', allowedHosts: ['hearth.lan', '*.example.com'] };
    expect(checkHost('hearth.lan:8080', policy).allowed).toBe(true);
    expect(checkHost('a.example.com', policy).allowed).toBe(true);
    expect(checkHost('example.com', policy).allowed).toBe(false);
    expect(checkHost('hearth.lan.evil', policy).allowed).toBe(false);
    expect(checkHost('evil.example', { boundHost: '127.0.0.1', allowedHosts: ['*'] }).allowed).toBe(true);
  });

  it('serves the bound address, and any IP address when bound to every interface', () => {
    expect(checkHost('192.168.1.5:8080', { boundHost: '192.168.1.5', allowedHosts: [] }).allowed).toBe(true);
    expect(checkHost('[fe80::1]:8080', { boundHost: 'fe80::1', allowedHosts: [] }).allowed).toBe(true);
    expect(checkHost('10.1.2.3:8080', { boundHost: '0.0.0.0', allowedHosts: [] }).allowed).toBe(true);
    expect(checkHost('[fd00::2]:8080', { boundHost: '::', allowedHosts: [] }).allowed).toBe(true);
    expect(checkHost('evil.example', { boundHost: '0.0.0.0', allowedHosts: [] }).allowed).toBe(false);
  });
});

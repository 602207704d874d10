import { describe, expect, it } from 'vitest';
import * as domain from './index.ts';

describe('package entry point', () => {
  it('exposes a working token round trip', () => {
    const { token, hash } = domain.newToken('service');
    expect(domain.parseToken(token)).toEqual({ ok: true, kind: 'service', token });
    expect(domain.hashToken(token)).toBe(hash);
  });

  it('exposes the shared tables that api and web read', () => {
    expect(domain.SCOPES).toHaveLength(17);
    expect(Object.keys(domain.TIERS)).toHaveLength(5);
    expect(domain.ROLES).toEqual(['owner', 'admin', 'member', 'viewer']);
    expect(domain.ERRORS.RATE_LIMITED.status).toBe(429);
  });
});

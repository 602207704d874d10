import { hashToken, newToken } from '@tollgate/domain';
import { describe, expect, it } from 'vitest';
import { hashTokenNative } from './hash.ts';

describe('hashTokenNative', () => {
  it('agrees with the domain definition for generated tokens of both kinds and any prefix', () => {
    for (let i = 0; i < 500; i++) {
      const { token, hash } = newToken(i % 2 === 0 ? 'personal' : 'service', {
        prefix: i % 3 === 0 ? 'tg' : 'acme',
      });
      expect(hashTokenNative(token)).toBe(hash);
    }
  });

  it('agrees on non-token input too (what a client might send), including non-ASCII', () => {
    for (const input of ['', 'tgp_', 'ünïcødé', 'x'.repeat(1000)])
      expect(hashTokenNative(input)).toBe(hashToken(input));
  });
});

import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { isSecurityEvent, LastUsedAddresses, RevokedReason, systemActorName } from './TokenBits.tsx';

afterEach(cleanup);

describe("a revoked token's reason (§3, §13)", () => {
  it.each([
    ['manual', /revoked by a person or an API call/],
    ['exposed', /reported as exposed/],
    ['reuse', /rotated-away secret of it was presented again/],
    ['member_removed', /its member left the organisation/],
  ] as const)('%s is said in words', (reason, text) => {
    render(<RevokedReason reason={reason} />);
    expect(screen.getByTestId('revoked-reason').textContent).toMatch(text);
  });

  it('an exposed token says who reported it and where it was found, as a link', () => {
    render(
      <RevokedReason
        reason="exposed"
        report={{
          reportedBy: 'github_secret_scanning',
          url: 'https://github.com/octo/repo/blob/abc/.env',
          source: 'content',
        }}
      />,
    );
    expect(screen.getByTestId('revoked-reason').textContent).toContain(
      'by GitHub secret scanning, found at https://github.com/octo/repo/blob/abc/.env (content)',
    );
    expect(screen.getByRole('link', { name: 'https://github.com/octo/repo/blob/abc/.env' })).toHaveProperty(
      'rel',
      'noreferrer noopener',
    );
  });

  it('a place that is not a web address is shown, never linked', () => {
    render(
      <RevokedReason
        reason="exposed"
        report={{ reportedBy: 'public_report', url: 'javascript:alert(1)', source: null }}
      />,
    );
    expect(screen.queryByRole('link')).toBeNull();
    expect(screen.getByTestId('revoked-reason').textContent).toContain(
      'by a public leak report, found at javascript:alert(1)',
    );
  });

  it('nothing for a token that is not revoked', () => {
    const { container } = render(<RevokedReason reason={null} />);
    expect(container.textContent).toBe('');
  });
});

describe('the last client addresses (§3 lastUsedIps)', () => {
  it('lists each address newest first with its time and user agent', () => {
    const now = new Date('2026-12-03T12:00:00Z');
    render(
      <LastUsedAddresses
        now={now}
        addresses={[
          { ip: '203.0.113.9', lastUsedAt: '2026-12-03T11:57:00Z', userAgent: 'ci-runner/2' },
          { ip: '2001:db8::1', lastUsedAt: '2026-12-01T12:00:00Z', userAgent: null },
        ]}
      />,
    );
    const items = [...screen.getByTestId('last-used-ips').querySelectorAll('li')].map((li) => li.textContent);
    expect(items).toEqual([
      expect.stringMatching(/^203\.0\.113\.9 3 minutes ago · ci-runner\/2$/),
      expect.stringMatching(/^2001:db8::1 2 days ago$/),
    ]);
  });

  it('says none yet for a token never used', () => {
    render(<LastUsedAddresses addresses={[]} />);
    expect(screen.getByText('none yet')).toBeTruthy();
  });
});

describe('the audit log names leak reporters and marks security events', () => {
  it.each([
    ['public_report', 'A public leak report'],
    ['github_secret_scanning', 'GitHub secret scanning'],
    [null, 'Tollgate (system)'],
  ])('system actor %s is %s', (actorId, name) => {
    expect(systemActorName(actorId)).toBe(name);
  });

  it.each([
    ['token.reuse_detected', {}, true],
    ['token.revoked', { reason: 'exposed' }, true],
    ['token.revoked', { reason: 'reuse' }, true],
    ['token.revoked', { reason: 'manual' }, false],
    ['token.created', {}, false],
  ])('%s %j is a security event: %s', (action, detail, expected) => {
    expect(isSecurityEvent({ action, detail })).toBe(expected);
  });
});

import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { newId } from '@tollgate/domain';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptyCreateTokenForm, validateCreateTokenForm } from '../lib/create-token.ts';
import { CreateTokenFormView } from './CreateTokenDialog.tsx';

afterEach(cleanup);

const NO_LIMITS = { maxTokenLifetimeDays: null, requireExpiry: false };
const POLICY = {
  tokenUseRoles: ['owner', 'admin', 'member', 'viewer'] as const,
  tokenCreateRoles: ['owner', 'admin', 'member'] as const,
  apiAccess: 'tokens_and_sessions' as const,
  allowedIpRanges: [],
  expiryNoticeDays: [30, 7, 1],
  revokeOnReuse: false,
};

function setup(props: Partial<Parameters<typeof CreateTokenFormView>[0]> = {}) {
  const onSubmit = vi.fn();
  render(
    <CreateTokenFormView
      creatorRole="member"
      userId="usr_me"
      policy={{
        ...POLICY,
        tokenUseRoles: [...POLICY.tokenUseRoles],
        tokenCreateRoles: [...POLICY.tokenCreateRoles],
        ...NO_LIMITS,
      }}
      onSubmit={onSubmit}
      onCancel={() => {}}
      {...props}
    />,
  );
  return { onSubmit, user: userEvent.setup() };
}

describe('the create token form', () => {
  it('refuses a missing name and an invalid IP line, naming the line, and sends nothing', async () => {
    const { onSubmit, user } = setup();
    await user.type(screen.getByLabelText(/IP allowlist/), '10.0.0.0/8\n10.0.0.300');
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Name is required')).toBeTruthy();
    expect(screen.getByText(/^Line 2 \(10\.0\.0\.300\)/)).toBeTruthy();
  });

  it('sends the default scopes, the expiry, the environment and the allowlist once the form is valid', async () => {
    const { onSubmit, user } = setup();
    await user.type(screen.getByLabelText('Name'), 'Deploy bot');
    await user.selectOptions(screen.getByLabelText('Expiry'), '30');
    await user.type(screen.getByLabelText(/Environment/), 'production');
    await user.type(screen.getByLabelText(/IP allowlist/), ' 203.0.113.7 \n\n2001:db8::/32');
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit.mock.calls[0]?.[0].input).toEqual({
      name: 'Deploy bot',
      scopes: [
        'organization:read',
        'repositories:read',
        'reviews:read',
        'billing:read',
        'wiki:read',
        'wiki:write',
      ],
      ipAllowlist: ['203.0.113.7', '2001:db8::/32'],
      environment: 'production',
      expiresInDays: 30,
    });
  });

  it("offers only the expiries the organisation's policy allows", () => {
    setup({
      policy: {
        ...POLICY,
        tokenUseRoles: [],
        tokenCreateRoles: [],
        maxTokenLifetimeDays: 30,
        requireExpiry: true,
      },
    });
    const options = [...(screen.getByLabelText('Expiry') as HTMLSelectElement).options];
    const disabled = options.filter((option) => option.disabled).map((option) => option.value);
    expect(disabled).toEqual(['none', '90']);
    // The first allowed choice is preselected, never a refused one.
    expect((screen.getByLabelText('Expiry') as HTMLSelectElement).value).toBe('7');
    expect(screen.getByText('Your organisation allows at most 30 days.')).toBeTruthy();
  });

  it('shows "on behalf of" and service tokens to admins only', () => {
    setup({
      creatorRole: 'admin',
      members: [{ userId: 'usr_other', name: 'Max', email: 'max@example.test', role: 'member' }],
    });
    const owner = screen.getByLabelText('Token for') as HTMLSelectElement;
    expect([...owner.options].map((option) => option.value)).toEqual(['me', 'user:usr_other', 'service']);
    cleanup();
    setup({ creatorRole: 'member' });
    expect(screen.queryByLabelText('Token for')).toBeNull();
  });

  const VERA = newId('user');
  const MEMBERS = [
    { userId: VERA, name: 'Vera', email: 'vera@example.test', role: 'viewer' as const },
    { userId: 'usr_mo', name: 'Mo', email: 'mo@example.test', role: 'member' as const },
  ];
  const ticked = () =>
    (screen.getAllByRole('checkbox') as HTMLInputElement[])
      .filter((box) => box.checked)
      .map((box) => box.value);

  it("follows the chosen member's role: on behalf of a viewer the defaults are a viewer's, and sent so", async () => {
    const { onSubmit, user } = setup({ creatorRole: 'owner', userId: 'usr_owner', members: MEMBERS });
    expect(ticked()).toContain('billing:read');
    await user.selectOptions(screen.getByLabelText('Token for'), `user:${VERA}`);
    expect(ticked()).toEqual(['organization:read', 'repositories:read', 'reviews:read', 'wiki:read']);
    expect((screen.getByRole('checkbox', { name: 'wiki:write' }) as HTMLInputElement).disabled).toBe(true);
    expect(
      screen.getByText(/Vera is a viewer, who cannot hold this scope/, {
        selector: '[id$="wiki:write-reason"]',
      }),
    ).toBeTruthy();
    await user.type(screen.getByLabelText('Name'), 'For Vera');
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    expect(onSubmit.mock.calls[0]?.[0].input).toMatchObject({
      subjectUserId: VERA,
      scopes: ['organization:read', 'repositories:read', 'reviews:read', 'wiki:read'],
    });
  });

  it('on behalf of a member, team:write cannot be ticked; back to "Me" the owner may tick it again', async () => {
    const { user } = setup({ creatorRole: 'owner', userId: 'usr_owner', members: MEMBERS });
    await user.selectOptions(screen.getByLabelText('Token for'), 'user:usr_mo');
    expect((screen.getByRole('checkbox', { name: 'team:write' }) as HTMLInputElement).disabled).toBe(true);
    expect(ticked()).toContain('billing:read');
    await user.selectOptions(screen.getByLabelText('Token for'), 'me');
    expect((screen.getByRole('checkbox', { name: 'team:write' }) as HTMLInputElement).disabled).toBe(false);
  });

  it('keeps scopes the person chose when the member changes, dropping only what the new one cannot hold', async () => {
    const { user } = setup({ creatorRole: 'owner', userId: 'usr_owner', members: MEMBERS });
    await user.click(screen.getByRole('checkbox', { name: 'team:read' }));
    await user.click(screen.getByRole('checkbox', { name: 'billing:read' }));
    await user.selectOptions(screen.getByLabelText('Token for'), `user:${VERA}`);
    expect(ticked()).toEqual([
      'organization:read',
      'repositories:read',
      'reviews:read',
      'team:read',
      'wiki:read',
    ]);
  });

  it('focuses Name first, and shows each hint only where it applies', async () => {
    const { user } = setup({ creatorRole: 'owner', userId: 'usr_owner', members: MEMBERS });
    expect(document.activeElement).toBe(screen.getByLabelText('Name'));
    expect(screen.queryByText(/A service token belongs to the organisation/)).toBeNull();
    await user.selectOptions(screen.getByLabelText('Token for'), 'service');
    expect(screen.getByText(/A service token belongs to the organisation/)).toBeTruthy();
    await user.selectOptions(screen.getByLabelText('Expiry'), 'none');
    expect(screen.getByText('Tokens without an expiry last until revoked.')).toBeTruthy();
    await user.selectOptions(screen.getByLabelText('Expiry'), 'date');
    expect(screen.queryByText('Tokens without an expiry last until revoked.')).toBeNull();
  });

  it("sends the token's own rate limits, and refuses one that is not a whole number", async () => {
    const { onSubmit, user } = setup();
    await user.type(screen.getByLabelText('Name'), 'Slow bot');
    await user.type(screen.getByLabelText(/Own limit per minute/), '1.5');
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText(/A whole number of requests/)).toBeTruthy();
    await user.clear(screen.getByLabelText(/Own limit per minute/));
    await user.type(screen.getByLabelText(/Own limit per minute/), '10');
    await user.type(screen.getByLabelText(/Own limit per hour/), '100');
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    expect(onSubmit.mock.calls[0]?.[0].input).toMatchObject({
      rateLimitPerMinute: 10,
      rateLimitPerHour: 100,
    });
  });

  it.each([
    ['no scope at all', { scopes: new Set() }, 'scopes', 'Choose at least one scope.'],
    [
      'a date in the past',
      { expiry: 'date', expiryDate: '2020-01-01' },
      'expiry',
      'The expiry date must be in the future.',
    ],
    ['a date beyond the maximum', { expiry: 'date', expiryDate: '2099-01-01' }, 'expiry', 'at most 30 days'],
    ['an environment with spaces', { environment: 'prod env' }, 'environment', 'Environment is letters'],
    ['a name of 101 characters', { name: 'x'.repeat(101) }, 'name', ''],
  ] as const)('refuses %s', (_case, change, field, message) => {
    const form = { ...emptyCreateTokenForm('member'), name: 'ok', ...change };
    const result = validateCreateTokenForm(form as never, {
      role: 'member',
      policy: { maxTokenLifetimeDays: 30, requireExpiry: false },
      now: new Date('2026-06-01T12:00:00Z'),
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[field]).toContain(message);
  });
});

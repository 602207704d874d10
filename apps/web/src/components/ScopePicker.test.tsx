import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DEFAULT_SCOPES, type Role, roleAllows, SCOPES, type Scope } from '@tollgate/domain';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultScopesFor } from '../lib/create-token.ts';
import { ScopePicker } from './ScopePicker.tsx';

afterEach(cleanup);

function Picker({ as: role }: { as: Role }) {
  const [value, setValue] = useState<Set<Scope>>(() => defaultScopesFor(role));
  return <ScopePicker role={role} value={value} onChange={setValue} />;
}

function box(scope: string): HTMLInputElement {
  return screen.getByRole('checkbox', { name: scope }) as HTMLInputElement;
}

describe('ScopePicker', () => {
  it('lists every scope of the catalogue grouped by category, with its description', () => {
    render(<Picker as="owner" />);
    for (const scope of SCOPES) {
      const checkbox = box(scope.name);
      const describedBy = checkbox.getAttribute('aria-describedby') ?? '';
      const description = describedBy
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent)
        .join(' ');
      expect(description).toContain(scope.description);
    }
    const headings = screen.getAllByRole('heading', { level: 3 }).map((heading) => heading.textContent);
    expect(headings).toEqual([...new Set(SCOPES.map((scope) => scope.category))]);
  });

  it.each<Role>(['owner', 'admin', 'member', 'viewer'])(
    'as %s: the default scopes the role allows are ticked, scopes beyond the role are disabled with the reason',
    (role) => {
      render(<Picker as={role} />);
      for (const scope of SCOPES) {
        const checkbox = box(scope.name);
        const allowed = roleAllows(role, scope.name);
        expect(checkbox.disabled, scope.name).toBe(!allowed);
        expect(checkbox.checked, scope.name).toBe(allowed && DEFAULT_SCOPES.includes(scope.name));
        const reasons = (checkbox.getAttribute('aria-describedby') ?? '')
          .split(' ')
          .map((id) => document.getElementById(id)?.textContent ?? '')
          .join(' ');
        if (allowed) expect(reasons).not.toMatch(/cannot grant/);
        else expect(reasons).toContain(`your role (${role}) cannot grant this scope`);
      }
    },
  );

  it('ticks and unticks allowed scopes; a disabled one cannot be ticked', async () => {
    const user = userEvent.setup();
    render(<Picker as="member" />);
    await user.click(box('wiki:write'));
    expect(box('wiki:write').checked).toBe(false);
    await user.click(box('reviews:write'));
    expect(box('reviews:write').checked).toBe(true);
    await user.click(box('billing:write'));
    expect(box('billing:write').checked).toBe(false);
  });
});

import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_TOKEN_SORT, SortableHeader, type TokenSort, tokenCountText } from './TokenSort.tsx';

afterEach(cleanup);

/** The tokens table's header row as the page wires it: one sort state, every sortable column. */
function Headers({ onChange }: { onChange: (sort: TokenSort) => void }) {
  const [sort, setSort] = useState<TokenSort>(DEFAULT_TOKEN_SORT);
  const onSort = (next: TokenSort) => {
    setSort(next);
    onChange(next);
  };
  return (
    <table>
      <thead>
        <tr>
          <SortableHeader field="name" label="Name" sort={sort} onSort={onSort} />
          <SortableHeader field="createdAt" label="Created" sort={sort} onSort={onSort} />
          <SortableHeader field="lastUsedAt" label="Last used" sort={sort} onSort={onSort} />
          <SortableHeader field="expiresAt" label="Expires" sort={sort} onSort={onSort} />
        </tr>
      </thead>
    </table>
  );
}

const ariaSorts = () =>
  screen
    .getAllByRole('columnheader')
    .map((header) => [header.textContent?.replace(/[▲▼↕]/g, ''), header.getAttribute('aria-sort')]);

describe('the tokens table sorts by its column headers', () => {
  it('starts newest first, then each click sorts by that column and a second click flips it', () => {
    const asked: TokenSort[] = [];
    render(<Headers onChange={(sort) => asked.push(sort)} />);
    expect(ariaSorts()).toEqual([
      ['Name', 'none'],
      ['Created', 'descending'],
      ['Last used', 'none'],
      ['Expires', 'none'],
    ]);
    const click = (name: string) =>
      fireEvent.click(screen.getByRole('button', { name: new RegExp(`^${name}`) }));
    click('Name');
    expect(ariaSorts()[0]).toEqual(['Name', 'ascending']);
    expect(ariaSorts()[1]).toEqual(['Created', 'none']);
    click('Name');
    expect(ariaSorts()[0]).toEqual(['Name', 'descending']);
    click('Expires');
    expect(ariaSorts()[3]).toEqual(['Expires', 'ascending']);
    click('Last used');
    click('Created');
    click('Created');
    expect(asked).toEqual([
      { sort: 'name', order: 'asc' },
      { sort: 'name', order: 'desc' },
      { sort: 'expiresAt', order: 'asc' },
      { sort: 'lastUsedAt', order: 'desc' },
      { sort: 'createdAt', order: 'desc' },
      { sort: 'createdAt', order: 'asc' },
    ]);
    expect(ariaSorts().map(([, value]) => value)).toEqual(['none', 'ascending', 'none', 'none']);
  });

  it('the headers are buttons a keyboard reaches, each saying what a click does', () => {
    render(<Headers onChange={() => {}} />);
    const name = screen.getByRole('button', { name: /^Name/ });
    expect(name.getAttribute('type')).toBe('button');
    expect(name.getAttribute('title')).toBe('Sort by name, A–Z');
    expect(screen.getByRole('button', { name: /^Created/ }).getAttribute('title')).toBe('Sort oldest first');
  });
});

describe('the total above the table', () => {
  it.each([
    [0, false, DEFAULT_TOKEN_SORT, '0 tokens, newest first'],
    [1, false, DEFAULT_TOKEN_SORT, '1 token, newest first'],
    [1, true, { sort: 'name', order: 'asc' }, '1 token matches, by name, A–Z'],
    [1234, true, { sort: 'expiresAt', order: 'asc' }, '1,234 tokens match, soonest expiry first'],
    [45, false, { sort: 'lastUsedAt', order: 'desc' }, '45 tokens, most recently used first'],
  ] as const)('%i tokens (filtered: %s)', (total, filtered, sort, text) => {
    expect(tokenCountText(total, filtered, sort)).toBe(text);
  });
});

import type { TSortOrder, TTokenListSort } from '@tollgate/domain';

export interface TokenSort {
  sort: TTokenListSort;
  order: TSortOrder;
}

/** The list's own default (tokens.list without sort/order): newest first. */
export const DEFAULT_TOKEN_SORT: TokenSort = {
  sort: 'createdAt',
  order: 'desc',
};

/** The order a column starts in when first clicked: names A–Z, soonest expiry first, times newest first. */
const FIRST_ORDER: Record<TTokenListSort, TSortOrder> = {
  createdAt: 'desc',
  name: 'asc',
  lastUsedAt: 'desc',
  expiresAt: 'asc',
};

/** Clicking a header: the same column flips its order; another column starts in its natural order. */
export function nextTokenSort(current: TokenSort, clicked: TTokenListSort): TokenSort {
  if (current.sort === clicked) return { sort: clicked, order: current.order === 'asc' ? 'desc' : 'asc' };
  return { sort: clicked, order: FIRST_ORDER[clicked] };
}

const DESCRIPTIONS: Record<TTokenListSort, Record<TSortOrder, string>> = {
  createdAt: { desc: 'newest first', asc: 'oldest first' },
  name: { asc: 'by name, A–Z', desc: 'by name, Z–A' },
  lastUsedAt: {
    desc: 'most recently used first',
    asc: 'least recently used first',
  },
  expiresAt: { asc: 'soonest expiry first', desc: 'latest expiry first' },
};

/** "12 tokens match, by name, A–Z": the total of the filters (not of the loaded rows) and the order. */
export function tokenCountText(total: number, filtered: boolean, sort: TokenSort): string {
  const noun = total === 1 ? 'token' : 'tokens';
  const verb = filtered ? (total === 1 ? ' matches' : ' match') : '';
  return `${total.toLocaleString('en')} ${noun}${verb}, ${DESCRIPTIONS[sort.sort][sort.order]}`;
}

/** A column header that sorts the table by its field; aria-sort says the current order to screen readers. */
export function SortableHeader({
  field,
  label,
  sort,
  onSort,
  className,
}: {
  field: TTokenListSort;
  label: string;
  sort: TokenSort;
  onSort: (next: TokenSort) => void;
  className?: string;
}) {
  const active = sort.sort === field;
  const ariaSort = active ? (sort.order === 'asc' ? 'ascending' : 'descending') : 'none';
  const next = nextTokenSort(sort, field);
  return (
    <th scope="col" aria-sort={ariaSort} className={className}>
      <button
        type="button"
        className="sort-button"
        onClick={() => onSort(next)}
        title={`Sort ${DESCRIPTIONS[field][next.order]}`}
      >
        {label}
        <span className="sort-mark" aria-hidden="true">
          {active ? (sort.order === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

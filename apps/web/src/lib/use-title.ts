import { useEffect } from 'react';

/** Sets the browser tab's title to "<page> · Tollgate" while the page is shown. */
export function useTitle(page: string): void {
  useEffect(() => {
    document.title = `${page} · Tollgate`;
  }, [page]);
}

/**
 * One page of a list, as Twilio's APIs page them: `PageSize` (50 unless asked, at most 1000) and
 * `Page` from the query, the other query parameters (filters) kept in every link. The v2010 API
 * links pages by path (`next_page_uri`, with `start`, `end`, `page`), the newer APIs by absolute
 * URL under `meta` (`next_page_url`, with the list's `key`); the twilio library follows either.
 */

/** `v2010`: api.twilio.com's shape; otherwise the origin of a newer API (`https://messaging.twilio.com`). */
export type ListStyle = 'v2010' | { origin: string };

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

export function listPage(style: ListStyle, key: string, items: readonly object[], path: string, query: URLSearchParams): object {
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Number(query.get('PageSize') ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE));
  const page = Math.max(0, Number(query.get('Page') ?? 0) || 0);
  const start = page * pageSize;
  const shown = items.slice(start, start + pageSize);
  const filters = [...query.entries()].filter(([name]) => !['PageSize', 'Page', 'PageToken'].includes(name));
  const link = (to: number): string => {
    const paging: [string, string][] = [['PageSize', String(pageSize)], ['Page', String(to)], ...(to > 0 ? [['PageToken', `PT${to}`] as [string, string]] : [])];
    return `${path}?${new URLSearchParams([...filters, ...paging]).toString()}`;
  };
  const next = start + pageSize < items.length ? page + 1 : undefined;
  const previous = page > 0 ? page - 1 : undefined;
  if (style === 'v2010') {
    return {
      [key]: shown,
      end: start + Math.max(0, shown.length - 1),
      first_page_uri: link(0),
      next_page_uri: next === undefined ? null : link(next),
      page,
      page_size: pageSize,
      previous_page_uri: previous === undefined ? null : link(previous),
      start,
      uri: link(page),
    };
  }
  const url = (to: number): string => `${style.origin}${link(to)}`;
  return {
    [key]: shown,
    meta: {
      first_page_url: url(0),
      key,
      next_page_url: next === undefined ? null : url(next),
      page,
      page_size: pageSize,
      previous_page_url: previous === undefined ? null : url(previous),
      url: url(page),
    },
  };
}

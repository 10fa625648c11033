/**
 * How every list is walked, by both stacks that carry requests (the SDK client and the fast caller):
 * page after page by `nextCursor`, every entry exactly as listed, and a server whose cursor never ends
 * stopped after `MAX_LIST_PAGES`.
 */
import { protocolError } from './failure.js';
import { LIST_METHODS, MAX_LIST_PAGES, type ListKind, type UpstreamItem, type UpstreamResult } from './types.js';

/** Every entry of every page of `kind`; `page` asks for one page with the params given. */
export async function walkList(server: string, kind: ListKind, page: (method: string, params: { cursor?: string }) => Promise<UpstreamResult>): Promise<UpstreamItem[]> {
  const method = LIST_METHODS[kind];
  const items: UpstreamItem[] = [];
  let cursor: string | undefined;
  for (let count = 0; count < MAX_LIST_PAGES; count++) {
    const result = await page(method, cursor === undefined ? {} : { cursor });
    const entries = result[kind];
    if (!Array.isArray(entries)) throw protocolError(server, method, `the result has no ${kind} array`);
    items.push(...(entries as UpstreamItem[]));
    if (typeof result.nextCursor !== 'string' || result.nextCursor === '') return items;
    cursor = result.nextCursor;
  }
  throw protocolError(server, method, `the list did not end after ${MAX_LIST_PAGES} pages`);
}

/** The list methods both eras serve from the core's pre-serialized pages. */
import type { Page } from '../core/lists.js';
import type { ListKind } from '../upstream/types.js';
import type { JsonRpcId } from '../base/wire.js';

/** Method → the kind it lists; the result field is named like the kind. */
export const LIST_METHODS: ReadonlyMap<string, ListKind> = new Map([
  ['tools/list', 'tools'],
  ['prompts/list', 'prompts'],
  ['resources/list', 'resources'],
  ['resources/templates/list', 'resourceTemplates'],
]);

/**
 * The JSON-RPC response to a list request as three parts, the page's cached bytes in the middle, so a
 * page is never re-encoded per request. `tail` is what each era adds after the list's own fields; it
 * closes the result object.
 */
export function listMessage(id: JsonRpcId, kind: ListKind, page: Page, tail: string): readonly [string, Buffer, string] {
  const cursor = page.nextCursor === undefined ? '' : `,"nextCursor":${JSON.stringify(page.nextCursor)}`;
  return [`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"${kind}":`, page.items, `${cursor}${tail}}`];
}

/** The list methods both eras serve from the core's pre-serialized pages. */
import type { Page } from '../core.js';
import type { ListKind } from '../upstream/types.js';

/** Method → the kind it lists; the result field is named like the kind. */
export const LIST_METHODS: ReadonlyMap<string, ListKind> = new Map([
  ['tools/list', 'tools'],
  ['prompts/list', 'prompts'],
  ['resources/list', 'resources'],
  ['resources/templates/list', 'resourceTemplates'],
]);

/** `"tools":[…],"nextCursor":"…"`: the list's own fields, which each era frames its way. */
export function listFields(kind: ListKind, page: Page): string {
  const cursor = page.nextCursor === undefined ? '' : `,"nextCursor":${JSON.stringify(page.nextCursor)}`;
  return `"${kind}":${page.itemsJson}${cursor}`;
}

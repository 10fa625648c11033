/**
 * `mcpgw serve --watch`: notice that the bundle file may have changed. The directory is watched, not
 * the file, because the usual ways of updating it (`mv` of a new file into place, an editor's save,
 * Kubernetes' ConfigMap volumes, which swap a `..data` symlink) replace the file's inode, and a watch on
 * the file itself would go quiet after the first. A burst of events settles into one call. A call
 * when nothing changed costs a read: a reload of the digest already served is a no-op.
 */
import { watch } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Long enough for `cp` of a large bundle or an editor's write-then-rename to finish as one change. */
const SETTLE_MS = 250;

/** Calls `changed` once a burst of changes to `path` has settled; returns what stops the watching. */
export function watchFile(path: string, changed: () => void, failed: (error: Error) => void): () => void {
  const name = basename(path);
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(dirname(path), { persistent: false }, (_event, file) => {
    // No name: the platform could not say which entry changed. `..`: a ConfigMap's symlink swap.
    if (file !== null && file !== name && !file.startsWith('..')) return;
    clearTimeout(timer);
    timer = setTimeout(changed, SETTLE_MS);
  });
  watcher.on('error', failed);
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}

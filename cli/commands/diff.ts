import { prettyCanonicalJson } from '../../lib/canonical-json.js';
import { diffBundles } from '../../compiler/review/diff.js';
import { formatMarkdown } from '../../compiler/review/format-markdown.js';
import { EXIT } from '../exit.js';
import { choice, loadForReview } from './explain.js';

export async function diff(oldInput: string, newInput: string, formatOption: unknown): Promise<number> {
  const format = choice(formatOption, '--format', ['markdown', 'json']);
  const before = await loadForReview(oldInput);
  if (typeof before === 'number') return before;
  const after = await loadForReview(newInput);
  if (typeof after === 'number') return after;
  const changes = diffBundles(before, after);
  process.stdout.write(format === 'json' ? prettyCanonicalJson(changes) : formatMarkdown(changes));
  return EXIT.ok;
}

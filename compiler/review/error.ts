import { closest } from '../validate/suggest.js';

/**
 * `explain` or `diff` cannot answer: the input is not a usable bundle, or the principal or tool asked
 * about does not exist. The command line reports the message and exits 1.
 */
export class ReviewError extends Error {
  override name = 'ReviewError';
}

/** `; did you mean 'x'?` when a known name is close to the one asked for, else nothing. */
export function didYouMean(word: string, known: Iterable<string>): string {
  const suggestion = closest(word, known);
  return suggestion ? `; did you mean '${suggestion}'?` : '';
}

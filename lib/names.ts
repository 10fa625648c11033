/**
 * SEP-986 names, shared by the compiler (declared tools) and the runtime (tools discovered at run time),
 * so both name a tool the same way. The runtime never imports the compiler; both import this.
 */
import { createHash } from 'node:crypto';

export const NAME_CHARSET = /^[A-Za-z0-9_.-]+$/;
export const MAX_NAME_LENGTH = 128;
/** Many LLM function-calling APIs reject longer names. */
export const PORTABLE_NAME_LENGTH = 64;
export const DEFAULT_SEPARATOR = '__';
const HASH_HEX_LENGTH = 8;

export function isValidName(name: string): boolean {
  return name.length >= 1 && name.length <= MAX_NAME_LENGTH && NAME_CHARSET.test(name);
}

export function hasEdgePunctuation(name: string): boolean {
  return /^[.-]|[.-]$/.test(name);
}

/** The exposed name of a tool or prompt when it needs no renaming. */
export function joinName(namespace: string, separator: string, name: string): string {
  return namespace + separator + name;
}

/**
 * The deterministic renaming rule for names discovered at run time. A name that already fits is kept
 * (joined with its namespace). Otherwise every character outside A-Z a-z 0-9 _ - . becomes '_',
 * the result is cut so the whole name fits in `limit`, and '_' plus the first 8 hex digits of the
 * sha256 of the original (UTF-8) name is appended, so two originals that sanitize alike stay apart.
 */
export function exposedName(namespace: string, separator: string, name: string, limit = MAX_NAME_LENGTH): string {
  const joined = joinName(namespace, separator, name);
  if (name.length > 0 && NAME_CHARSET.test(name) && joined.length <= limit) return joined;
  const suffix = '_' + createHash('sha256').update(name, 'utf8').digest('hex').slice(0, HASH_HEX_LENGTH);
  const room = Math.max(0, limit - namespace.length - separator.length - suffix.length);
  const sanitized = Array.from(name, (ch) => (/[A-Za-z0-9_.-]/.test(ch) ? ch : '_')).join('').slice(0, room);
  return joinName(namespace, separator, sanitized + suffix);
}

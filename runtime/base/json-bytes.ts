/** The bytes that JSON's structure is made of, for the readers that scan it unparsed (upstream/raw-result.ts, result-reframe.ts). */
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COLON = 0x3a;
export const COMMA = 0x2c;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const LF = 0x0a;
export const CR = 0x0d;
export const SPACE = 0x20;
export const TAB = 0x09;

/** 1 for the bytes a number or `true`/`false`/`null` may consist of. */
export const PRIMITIVE = new Uint8Array(256);
for (const c of '0123456789+-.eEtrufalsn') PRIMITIVE[c.charCodeAt(0)] = 1;

/** A `resultType` value the gateway passes on unparsed, and the member a 2026-07-28 client gets when the upstream sent none. */
export const COMPLETE = '"complete"';
export const RESULT_TYPE_COMPLETE = '"resultType":"complete"';

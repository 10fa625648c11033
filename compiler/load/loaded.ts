import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceMap } from './source-map.js';

/**
 * What every front-end produces: plain JSON data (env("X") already turned into "${env:X}")
 * plus where each node came from. `definition` is undefined when the file could not be read at all.
 */
export interface Loaded {
  file: string;
  definition: unknown;
  sourceMap: SourceMap;
  diagnostics: Diagnostic[];
  /**
   * Pointers of properties the front-end reported and left out (a computed value in a gateway.ts),
   * so validation does not report them a second time as missing.
   */
  omitted?: string[];
}

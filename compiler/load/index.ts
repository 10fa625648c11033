import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Loaded } from './loaded.js';
import { SourceMap, startOfFile } from './source-map.js';
import { loadYaml } from './yaml.js';

export type { Loaded } from './loaded.js';

/**
 * Reads a definition file and hands it to the front-end its extension names. Every failure,
 * down to a missing file, is a diagnostic: the CLI never shows a stack trace for bad input.
 */
export async function loadFile(path: string): Promise<Loaded> {
  const file = path.replace(/\\/g, '/');
  const fail = (d: Diagnostic): Loaded => ({ file, definition: undefined, sourceMap: new SourceMap(file), diagnostics: [d] });
  const at = startOfFile(file);
  const ext = extname(file).toLowerCase();
  let text: string;
  try {
    const info = await stat(path);
    if (info.isDirectory()) return fail(diagnostic('MG102', at, file));
    text = await readFile(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') return fail(diagnostic('MG101', at, file));
    return fail(diagnostic('MG103', at, file, err.code ?? err.message));
  }
  if (text.trim() === '') return fail(diagnostic('MG104', at));
  return loadText(file, text, ext);
}

export async function loadText(file: string, text: string, ext: string): Promise<Loaded> {
  switch (ext) {
    case '.yaml':
    case '.yml':
      return loadYaml(file, text);
    case '.json':
      return loadYaml(file, text, 'json');
    case '.ts':
    case '.mts': {
      // ts-morph is heavy: load it only for TypeScript definitions.
      const { loadTypeScript } = await import('./typescript.js');
      return loadTypeScript(file, text);
    }
    default:
      return { file, definition: undefined, sourceMap: new SourceMap(file), diagnostics: [diagnostic('MG105', startOfFile(file), ext || '(none)')] };
  }
}

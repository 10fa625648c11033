/**
 * The /healthz body: liveness, and what an operator or a deploy script reads after a reload (which
 * bundle is served since when, and why the last reload was refused). Rendered when a reload settles,
 * never per request; a refused reload changes it without a new generation, so it lives beside them.
 */
import type { EngineName } from './engine.js';
import { VERSION } from '../../lib/version.js';

interface HealthBody {
  readonly version: string;
  readonly engine: EngineName;
  /** The digest of the bundle being served. */
  readonly digest: string;
  /** When that bundle was loaded (at start or by a reload), ISO 8601. */
  readonly loaded_at: string;
  /** Why the latest reload was refused; null once a later one succeeds, or when none failed. */
  readonly last_reload_error: { readonly at: string; readonly reason: string } | null;
}

export class Health {
  #body: HealthBody;
  #text: string;

  constructor(engine: EngineName, digest: string, now = new Date()) {
    this.#body = { version: VERSION, engine, digest, loaded_at: now.toISOString(), last_reload_error: null };
    this.#text = JSON.stringify(this.#body);
  }

  get text(): string {
    return this.#text;
  }

  /** A reload swapped in `digest`. */
  loaded(digest: string, now = new Date()): void {
    this.#set({ ...this.#body, digest, loaded_at: now.toISOString(), last_reload_error: null });
  }

  /** A reload found the served bundle unchanged: nothing to report against it. */
  unchanged(): void {
    if (this.#body.last_reload_error !== null) this.#set({ ...this.#body, last_reload_error: null });
  }

  /** A reload was refused; the served bundle stays. */
  refused(reason: string, now = new Date()): void {
    this.#set({ ...this.#body, last_reload_error: { at: now.toISOString(), reason } });
  }

  #set(body: HealthBody): void {
    this.#body = body;
    this.#text = JSON.stringify(body);
  }
}

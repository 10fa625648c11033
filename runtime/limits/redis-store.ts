import { Redis, type RedisOptions } from 'ioredis';
import { StoreUnavailableError, type ChargeRequest, type ChargeResult, type CounterStore } from './store.js';

/**
 * Checks every slot and budget and charges them in one round trip, atomically. The clock is the Redis
 * server's (TIME), so replicas with skewed clocks still agree. GCRA arithmetic is gcra.ts's.
 * KEYS: rate slots, then budget counters. ARGV: rate count; per rate: limit, window; per budget: cap, cost, expire-at.
 */
const CHECK_AND_CHARGE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nr = tonumber(ARGV[1])
local nb = #KEYS - nr
local tats = {}
for i = 1, nr do
  local limit = tonumber(ARGV[2 * i])
  local window = tonumber(ARGV[2 * i + 1])
  local interval = window / limit
  local tat = tonumber(redis.call('GET', KEYS[i]))
  if not tat or tat < now then tat = now end
  local allow_at = tat - (window - interval)
  if allow_at > now then return {0, 'rate', i - 1, math.ceil(allow_at - now)} end
  tats[i] = tat + interval
end
local base = 1 + 2 * nr
for j = 1, nb do
  local cap = tonumber(ARGV[base + 3 * j - 2])
  local cost = tonumber(ARGV[base + 3 * j - 1])
  local expire_at = tonumber(ARGV[base + 3 * j])
  local spent = tonumber(redis.call('GET', KEYS[nr + j]) or '0')
  if spent + cost > cap then return {0, 'budget', j - 1, math.max(0, expire_at - now)} end
end
for i = 1, nr do
  redis.call('SET', KEYS[i], string.format('%.3f', tats[i]), 'PX', math.ceil(tats[i] - now) + 1000)
end
for j = 1, nb do
  redis.call('INCRBY', KEYS[nr + j], ARGV[base + 3 * j - 1])
  redis.call('PEXPIREAT', KEYS[nr + j], ARGV[base + 3 * j])
end
return {1}
`;

type ScriptReply = [1] | [0, 'rate' | 'budget', number, number];

interface ChargingRedis extends Redis {
  mcpgwCharge(numKeys: number, ...args: (string | number)[]): Promise<ScriptReply>;
}

export interface RedisStoreOptions {
  url: string;
  /** How long one check may take before the store counts as unavailable. */
  commandTimeoutMs?: number;
  onStateChange?: (state: 'ready' | 'error' | 'reconnecting', detail?: string) => void;
}

/**
 * Counters shared by every replica. Commands fail fast while disconnected (no offline queue), so a
 * Redis outage turns into StoreUnavailableError within the timeout, never into a hung call; ioredis
 * keeps reconnecting in the background.
 */
export class RedisStore implements CounterStore {
  readonly name = 'redis' as const;
  readonly #redis: ChargingRedis;
  readonly #timeoutMs: number;

  constructor(options: RedisStoreOptions) {
    this.#timeoutMs = options.commandTimeoutMs ?? 500;
    const redisOptions: RedisOptions = {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: this.#timeoutMs,
      retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
      lazyConnect: false,
    };
    this.#redis = new Redis(options.url, redisOptions) as ChargingRedis;
    // defineCommand sends EVALSHA and falls back to EVAL when the script is not cached (NOSCRIPT).
    this.#redis.defineCommand('mcpgwCharge', { lua: CHECK_AND_CHARGE });
    const notify = options.onStateChange ?? (() => {});
    this.#redis.on('ready', () => notify('ready'));
    this.#redis.on('error', (e: Error) => notify('error', e.message));
    this.#redis.on('reconnecting', () => notify('reconnecting'));
  }

  async checkAndCharge(request: ChargeRequest): Promise<ChargeResult> {
    const keys = [...request.rates.map((r) => r.key), ...request.budgets.map((b) => b.key)];
    const args: (string | number)[] = [request.rates.length];
    for (const r of request.rates) args.push(r.limit, r.windowMs);
    for (const b of request.budgets) args.push(b.capMicros, b.costMicros, b.expireAtMs);
    const reply = await this.#call(() => this.#redis.mcpgwCharge(keys.length, ...keys, ...args));
    if (reply[0] === 1) return { ok: true };
    return { ok: false, kind: reply[1], index: Number(reply[2]), retryAfterMs: Number(reply[3]) };
  }

  async spent(key: string): Promise<number> {
    return Number((await this.#call(() => this.#redis.get(key))) ?? 0);
  }

  async close(): Promise<void> {
    this.#redis.disconnect();
  }

  /** Resolves once connected; while (re)connecting, waits at most the command timeout. */
  #whenReady(): Promise<void> {
    if (this.#redis.status === 'ready') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#redis.off('ready', onReady);
        reject(new Error(`not connected (${this.#redis.status})`));
      }, this.#timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#redis.once('ready', onReady);
    });
  }

  async #call<T>(command: () => Promise<T>): Promise<T> {
    try {
      await this.#whenReady();
      return await command();
    } catch (e) {
      throw new StoreUnavailableError(`redis: ${(e as Error).message}`);
    }
  }
}

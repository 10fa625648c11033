/**
 * The cost of the limit check alone (issue #8): one check-and-charge of a key → team → org chain with
 * a rate limit at each level and a budget, against the in-memory store and against a real Redis on
 * loopback (one Lua round trip). Sequential latency and the throughput of 64 concurrent checks.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Limiter, planLimits } from '../dist/runtime/limits/limiter.js';
import { MemoryStore } from '../dist/runtime/limits/memory-store.js';
import { RedisStore } from '../dist/runtime/limits/redis-store.js';

const CHAIN = [
  { level: 'key', name: 'bench-key', rate_limit: { requests: 1e9, window_ms: 60_000, tools: {} }, budget: { usd: 1e9, per: 'day' } },
  { level: 'team', name: 'bench-team', rate_limit: { requests: 1e9, window_ms: 60_000, tools: {} } },
  { level: 'org', name: 'bench-org', rate_limit: { requests: 1e9, window_ms: 60_000, tools: {} }, budget: { usd: 1e9, per: 'month' } },
];

async function measure(store, { seconds }) {
  const limiter = new Limiter(store, 'deny');
  const plan = planLimits(CHAIN, `bench${process.pid}`);
  for (let i = 0; i < 200; i++) await limiter.charge(plan, 'srv/tool', 0.001);
  const latencies = [];
  const sequentialEnd = performance.now() + (seconds * 1000) / 2;
  while (performance.now() < sequentialEnd) {
    const t = performance.now();
    await limiter.charge(plan, 'srv/tool', 0.001);
    latencies.push(performance.now() - t);
  }
  latencies.sort((a, b) => a - b);
  let done = 0;
  const concurrentEnd = performance.now() + (seconds * 1000) / 2;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (performance.now() < concurrentEnd) {
        await limiter.charge(plan, 'srv/tool', 0.001);
        done++;
      }
    }),
  );
  const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return {
    store: store.name,
    p50_us: Math.round(pick(0.5) * 1000),
    p99_us: Math.round(pick(0.99) * 1000),
    checks_per_s: Math.round(done / ((performance.now() - started) / 1000)),
  };
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export async function benchLimits({ seconds = 4 } = {}) {
  const results = [await measure(new MemoryStore(), { seconds })];
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    for await (const chunk of redis.stdout) if (String(chunk).includes('Ready to accept connections')) break;
    const store = new RedisStore({ url: `redis://127.0.0.1:${port}` });
    results.push(await measure(store, { seconds }));
    await store.close();
  } finally {
    redis.kill('SIGKILL');
    await once(redis, 'exit');
  }
  return { scenario: 'limit check: key+team+org rate limits and 2 budgets', results };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await benchLimits(), null, 2));

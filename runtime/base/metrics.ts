/**
 * Counters served at /metrics in the Prometheus text format. Only what an operator acts on: refusals
 * by reason and counter-store failures. Names and label sets are fixed here, so the text is stable.
 */
export type Refusal = 'rate' | 'budget' | 'guardrail' | 'store';

export class Metrics {
  readonly #refused = new Map<Refusal, number>();
  #storeErrors = 0;

  refused(reason: Refusal): void {
    this.#refused.set(reason, (this.#refused.get(reason) ?? 0) + 1);
  }

  storeError(): void {
    this.#storeErrors++;
  }

  text(): string {
    const lines = [
      '# HELP mcpgw_calls_refused_total Tool calls refused by the gateway before reaching an upstream.',
      '# TYPE mcpgw_calls_refused_total counter',
      ...(['rate', 'budget', 'guardrail', 'store'] as const).map((r) => `mcpgw_calls_refused_total{reason="${r}"} ${this.#refused.get(r) ?? 0}`),
      '# HELP mcpgw_limit_store_errors_total Failures to reach the rate-limit and budget counter store.',
      '# TYPE mcpgw_limit_store_errors_total counter',
      `mcpgw_limit_store_errors_total ${this.#storeErrors}`,
    ];
    return lines.join('\n') + '\n';
  }
}

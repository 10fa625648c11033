/**
 * Counters served at /metrics in the Prometheus text format. Only what an operator acts on: refusals
 * by reason, counter-store failures, and the answer bytes held against `result_bytes_in_flight`. Names and label sets are fixed here, so the text is stable.
 */
import type { ResultBudget } from './result-budget.js';

export type Refusal = 'rate' | 'budget' | 'guardrail' | 'store';

export class Metrics {
  readonly #refused = new Map<Refusal, number>();
  #storeErrors = 0;
  readonly #results: ResultBudget | undefined;

  constructor(results?: ResultBudget) {
    this.#results = results;
  }

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
    if (this.#results !== undefined) {
      lines.push(
        '# HELP mcpgw_result_bytes_in_flight Bytes of upstream answers held now, received but not yet written to their clients.',
        '# TYPE mcpgw_result_bytes_in_flight gauge',
        `mcpgw_result_bytes_in_flight ${this.#results.held}`,
        '# HELP mcpgw_result_bytes_in_flight_limit The gateway.result_bytes_in_flight setting.',
        '# TYPE mcpgw_result_bytes_in_flight_limit gauge',
        `mcpgw_result_bytes_in_flight_limit ${this.#results.limit}`,
      );
    }
    return lines.join('\n') + '\n';
  }
}

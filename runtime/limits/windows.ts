/** UTC calendar windows for budgets: the id names the counter, the end bounds its life. */
export type BudgetPeriod = 'day' | 'month';

export function windowOf(per: BudgetPeriod, nowMs: number): { id: string; endMs: number } {
  const d = new Date(nowMs);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  if (per === 'day') {
    const day = d.getUTCDate();
    return { id: `${y}-${pad(m + 1)}-${pad(day)}`, endMs: Date.UTC(y, m, day + 1) };
  }
  return { id: `${y}-${pad(m + 1)}`, endMs: Date.UTC(y, m + 1, 1) };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

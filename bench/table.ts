// Shared by the benchmarks: tinybench results, numbers in a readable form, a Markdown table.
import type { Bench } from 'tinybench';

/** 1234567 -> '1.23 M', 45678 -> '45.7 k'. */
export function rate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k`;
  return perSecond.toFixed(0);
}

/** Prints a title and a Markdown table, so the output can be pasted into BENCHMARKS.md. */
export function printTable(title: string, head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

/** Operations per second of the task `name` in a finished tinybench run; throws if it failed. */
export function opsPerSecond(bench: Bench, name: string): number {
  const result = bench.getTask(name)?.result;
  if (result === undefined || !('throughput' in result)) throw new Error(`benchmark "${name}" did not complete`);
  return result.throughput.mean;
}

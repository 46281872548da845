// A small Prometheus registry: counters, histograms and gauges read at scrape time, rendered in
// the text exposition format (version 0.0.4). prom-client needs Node; this runs in the tab too.

export type Labels = Readonly<Record<string, string>>;

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  const escaped = entries.map(([name, value]) => `${name}="${value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`);
  return `{${escaped.join(',')}}`;
}

function numberText(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return Number.isNaN(value) ? 'NaN' : String(value);
}

interface Metric {
  render(): string[];
}

class Series<T> {
  readonly #byKey = new Map<string, { labels: Labels; value: T }>();
  constructor(readonly initial: () => T) {}
  get(labels: Labels): T {
    const key = labelText(labels);
    let entry = this.#byKey.get(key);
    if (entry === undefined) {
      entry = { labels, value: this.initial() };
      this.#byKey.set(key, entry);
    }
    return entry.value;
  }
  entries(): Array<{ labels: Labels; value: T }> {
    return [...this.#byKey.values()];
  }
}

export class Counter implements Metric {
  readonly #series = new Series(() => ({ value: 0 }));
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    this.#series.get(labels).value += by;
  }
  render(): string[] {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`, ...this.#series.entries().map(({ labels, value }) => `${this.name}${labelText(labels)} ${numberText(value.value)}`)];
  }
}

export class Histogram implements Metric {
  readonly #series: Series<{ counts: number[]; sum: number; count: number }>;
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {
    this.#series = new Series(() => ({ counts: buckets.map(() => 0), sum: 0, count: 0 }));
  }
  observe(labels: Labels, value: number): void {
    this.bind(labels)(value);
  }

  /** An observer for one label set, looked up once (for per-token observations). */
  bind(labels: Labels): (value: number) => void {
    const series = this.#series.get(labels);
    return (value) => this.#add(series, value);
  }

  #add(series: { counts: number[]; sum: number; count: number }, value: number): void {
    this.buckets.forEach((bound, index) => {
      if (value <= bound) series.counts[index] = (series.counts[index] ?? 0) + 1;
    });
    series.sum += value;
    series.count += 1;
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const { labels, value } of this.#series.entries()) {
      this.buckets.forEach((bound, index) => lines.push(`${this.name}_bucket${labelText({ ...labels, le: numberText(bound) })} ${value.counts[index] ?? 0}`));
      lines.push(`${this.name}_bucket${labelText({ ...labels, le: '+Inf' })} ${value.count}`);
      lines.push(`${this.name}_sum${labelText(labels)} ${numberText(value.sum)}`, `${this.name}_count${labelText(labels)} ${value.count}`);
    }
    return lines;
  }
}

/**
 * Values read when scraped: a gauge (queue depth, loaded models), or a counter that another part
 * keeps (an engine's decode steps; it restarts when the model reloads, as Prometheus expects).
 */
export class Collected implements Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'gauge' | 'counter',
    readonly collect: () => ReadonlyArray<{ labels: Labels; value: number }>,
  ) {}
  render(): string[] {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`, ...this.collect().map(({ labels, value }) => `${this.name}${labelText(labels)} ${numberText(value)}`)];
  }
}

export class MetricsRegistry {
  readonly #metrics: Metric[] = [];
  add<T extends Metric>(metric: T): T {
    this.#metrics.push(metric);
    return metric;
  }
  /** The Prometheus text exposition format. */
  render(): string {
    return `${this.#metrics.flatMap((metric) => metric.render()).join('\n')}\n`;
  }
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

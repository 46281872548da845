// Typed readers for the fields of a YAML model config. Problems are collected (with the file and
// the field's path), not thrown, so one config's mistakes are all reported at once.
export type Obj = Record<string, unknown>;

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class FieldReader {
  readonly problems: string[] = [];
  readonly #where: string;
  constructor(where: string) {
    this.#where = where;
  }

  #complain(path: string, expected: string, value: unknown): undefined {
    this.problems.push(`${this.#where}: '${path}' must be ${expected}, but is ${JSON.stringify(value)}`);
    return undefined;
  }

  string(obj: Obj, key: string, path = key): string | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return this.#complain(path, 'a string', v);
  }

  number(obj: Obj, key: string, path = key): number | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    return this.#complain(path, 'a number', v);
  }

  integer(obj: Obj, key: string, path = key): number | undefined {
    const v = this.number(obj, key, path);
    if (v !== undefined && !Number.isSafeInteger(v)) return this.#complain(path, 'a whole number', v);
    return v;
  }

  /** A whole number of at least 0. */
  count(obj: Obj, key: string, path = key): number | undefined {
    const v = this.integer(obj, key, path);
    if (v !== undefined && v < 0) return this.#complain(path, 'a whole number of at least 0', v);
    return v;
  }

  boolean(obj: Obj, key: string, path = key): boolean | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    return this.#complain(path, 'true or false', v);
  }

  /** LocalAI's `tensor_split`: a comma-separated string ("0.6,0.4") or a YAML list of numbers. */
  numberList(obj: Obj, key: string, path = key): number[] | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    const items = typeof v === 'string' ? v.split(',').map((item) => (item.trim() === '' ? NaN : Number(item))) : typeof v === 'number' ? [v] : v;
    if (Array.isArray(items) && items.length > 0 && items.every((item) => typeof item === 'number' && Number.isFinite(item) && item >= 0)) return items as number[];
    return this.#complain(path, 'a list of numbers (e.g. "0.6,0.4" or [0.6, 0.4])', v);
  }

  /** A boolean, or LocalAI's "on"/"off"/"auto" strings (its `flash_attention`). */
  onOffAuto(obj: Obj, key: string, path = key): boolean | 'auto' | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    const text = typeof v === 'string' ? v.trim().toLowerCase() : undefined;
    if (text === 'on' || text === 'true') return true;
    if (text === 'off' || text === 'false') return false;
    if (text === 'auto') return 'auto';
    return this.#complain(path, 'true, false, "on", "off" or "auto"', v);
  }

  /** One of the fixed values, compared without case. */
  oneOf<T extends string>(obj: Obj, key: string, values: readonly T[], path = key): T | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    const text = typeof v === 'string' ? v.trim().toLowerCase() : undefined;
    if (text !== undefined && (values as readonly string[]).includes(text)) return text as T;
    return this.#complain(path, `one of ${values.join(', ')}`, v);
  }

  stringList(obj: Obj, key: string): string[] {
    const v = obj[key];
    if (v === undefined || v === null) return [];
    if (Array.isArray(v) && v.every((item) => typeof item === 'string')) return v as string[];
    this.#complain(key, 'a list of strings', v);
    return [];
  }

  stringMap(obj: Obj, key: string): Record<string, string> {
    const v = obj[key];
    if (v === undefined || v === null) return {};
    if (isObj(v) && Object.values(v).every((item) => typeof item === 'string')) return { ...(v as Record<string, string>) };
    this.#complain(key, 'a map of strings', v);
    return {};
  }

  /** Seconds as a number, or a duration such as "500ms", "30s", "2m"; in milliseconds. */
  duration(obj: Obj, key: string, path = key): number | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v * 1000;
    const match = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(v) : null;
    if (match) return Number(match[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's').toLowerCase() as 'ms' | 's' | 'm' | 'h'];
    return this.#complain(path, 'seconds, or a duration such as "500ms", "30s" or "2m"', v);
  }

  /** The problem, in the same words as the other checks (for rules no typed reader covers). */
  complain(path: string, expected: string, value: unknown): undefined {
    return this.#complain(path, expected, value);
  }

  object(obj: Obj, key: string): Obj {
    const v = obj[key];
    if (v === undefined || v === null) return {};
    if (isObj(v)) return v;
    this.#complain(key, 'a map', v);
    return {};
  }
}

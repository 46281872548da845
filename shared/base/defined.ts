/** The properties a `defined()` result keeps: optional, never `undefined`. */
export type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

/**
 * `values` without its undefined entries. With exactOptionalPropertyTypes an optional field may
 * be absent but not `undefined`; this replaces `...(x === undefined ? {} : { x })` spreads.
 */
export function defined<T extends object>(values: T): Defined<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Defined<T>;
}

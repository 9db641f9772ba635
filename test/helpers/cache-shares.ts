import { CACHE_SHARES, type CacheShareName, type KeyValueCache } from '../../src/core/cache-budget';

/** The entries of one share in a cache that keeps what it is given: each key (`tpm:lookup:0`…) and its value. */
export function shareEntries(values: ReadonlyMap<string, string>, name: CacheShareName): Array<[key: string, value: string]> {
  return [...values].filter(([key]) => key.startsWith(`${CACHE_SHARES[name].key}:`));
}

/** Every item a share holds, whichever of its entries holds it. */
export function shareItems(values: ReadonlyMap<string, string>, name: CacheShareName): string[] {
  return shareEntries(values, name).flatMap(([, value]) => (value === '' ? [] : value.split(',')));
}

/** The bytes a share uses, keys and values. */
export function shareBytes(values: ReadonlyMap<string, string>, name: CacheShareName): number {
  return shareEntries(values, name).reduce((total, [key, value]) => total + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
}

/** Auth0's `api.cache`, as a map that keeps what it is given (no limits, nothing dropped). */
export function memoryCache(): KeyValueCache & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return { values, get: (key) => (values.has(key) ? { value: values.get(key) } : undefined), set: (key, value) => values.set(key, value) };
}

import { CACHE_SHARES, type CacheShareName } from '../../src/core/cache-budget';

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

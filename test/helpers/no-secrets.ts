import { types } from 'node:util';

/** One text a reader of a value could see, and where in the value it stands. */
export interface VisibleText {
  at: string;
  text: string;
}

/**
 * Every text that can be read out of `value`, whole: a string as it is; an Error's name, message
 * and stack (which JSON.stringify drops); every own property of an object, enumerable or not,
 * symbols and getters included (a getter that throws shows what it throws); the entries of a Map
 * or Set and the bytes of a Buffer; recursively, each object once however often it is reached.
 */
export function visibleTexts(value: unknown, at = 'value'): VisibleText[] {
  const texts: VisibleText[] = [];
  const seen = new Set<object>();
  const visit = (current: unknown, path: string): void => {
    if (current === null || (typeof current !== 'object' && typeof current !== 'function')) {
      texts.push({ at: path, text: String(current) });
      return;
    }
    if (seen.has(current)) return;
    seen.add(current);
    if (typeof current === 'function') texts.push({ at: path, text: `[function ${current.name}]` });
    if (ArrayBuffer.isView(current)) texts.push({ at: path, text: Buffer.from(current.buffer, current.byteOffset, current.byteLength).toString('utf8') });
    if (types.isMap(current)) for (const [key, entry] of current) visit([key, entry], `${path}.entry`);
    if (types.isSet(current)) for (const entry of current) visit(entry, `${path}.entry`);
    // An Error's name is inherited, and its message may be: read them through the object.
    const keys = new Set<string | symbol>([...(types.isNativeError(current) ? ['name', 'message', 'stack'] : []), ...Reflect.ownKeys(current)]);
    for (const key of keys) {
      const name = String(key);
      texts.push({ at: `${path}[key]`, text: name });
      visit(readProperty(current, key), `${path}.${name}`);
    }
  };
  visit(value, at);
  return texts;
}

function readProperty(object: object, key: string | symbol): unknown {
  try {
    return Reflect.get(object, key);
  } catch (thrown) {
    return thrown;
  }
}

/**
 * Fails when a secret shows up anywhere in what was logged, thrown or answered (see
 * `visibleTexts`), naming where. Secrets are trimmed, as the sender trims them; one not set
 * (undefined or blank) has nothing to leak.
 */
export function expectNoSecrets(values: unknown, secrets: Iterable<string | undefined>): void {
  const texts = visibleTexts(values);
  const wanted = [...secrets].map((secret) => secret?.trim() ?? '').filter((secret) => secret !== '');
  const leaks = wanted.flatMap((secret) => texts.filter(({ text }) => text.includes(secret)).map(({ at }) => ({ secret, at })));
  expect(leaks).toEqual([]);
}

/**
 * Fails when one of `numbers` shows up unmasked, in any format, anywhere in `values`: a mask
 * keeps at most the last 4 digits, so the last 7, once separators are gone, must never appear.
 */
export function expectNumbersMasked(values: unknown, numbers: readonly string[]): void {
  const texts = visibleTexts(values).map(({ at, text }) => ({ at, digits: text.replace(/[\s()\-./]/g, '') }));
  const unmasked = numbers.flatMap((number) => {
    const tail = number.replace(/\D/g, '').slice(-7);
    return texts.filter(({ digits }) => digits.includes(tail)).map(({ at }) => ({ number, at }));
  });
  expect(unmasked).toEqual([]);
}

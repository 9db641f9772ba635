import { statSync } from 'node:fs';
import fc from 'fast-check';
import { PHONE_NUMBER_METADATA } from '../../src/core/countries';

// The sender loads libphonenumber-js with its smallest metadata to tell which country a number
// belongs to. That is only right if the smallest answers that question exactly as the full one
// does, for every calling code, the shared +1 above all (Jamaica is not the US).
const smallest = require(PHONE_NUMBER_METADATA) as typeof import('libphonenumber-js/max');
const full = require('libphonenumber-js/max') as typeof import('libphonenumber-js/max');

const callingCodes = [...new Set(full.getCountries().map((country) => full.getCountryCallingCode(country)))];
const countryBy = (library: typeof full, number: string): string | undefined => library.parsePhoneNumberFromString(number)?.country;

describe(`${PHONE_NUMBER_METADATA}, the metadata the sender loads`, () => {
  it('is smaller than the full metadata', () => {
    const size = (build: string): number => statSync(require.resolve(`libphonenumber-js/metadata.${build}.json`)).size;
    expect(size(PHONE_NUMBER_METADATA.split('/')[1] ?? '')).toBeLessThan(size('max') * 0.6);
  });

  it('places every +1 area code in the country the full metadata does', () => {
    const differences: string[] = [];
    for (let area = 200; area <= 999; area++) {
      for (const line of ['2345678', '5550123', '7654321']) {
        const number = `+1${area}${line}`;
        if (countryBy(smallest, number) !== countryBy(full, number)) differences.push(number);
      }
    }
    expect(differences).toEqual([]);
  });

  it('places any number of any calling code in the country the full metadata does', () => {
    fc.assert(
      fc.property(fc.constantFrom(...callingCodes), fc.stringMatching(/^[1-9][0-9]{5,11}$/), (callingCode, national) => {
        const number = `+${callingCode}${national}`.slice(0, 16);
        expect(countryBy(smallest, number)).toBe(countryBy(full, number));
      }),
      { numRuns: 5_000 },
    );
  });

  it('places the example number of every country in that country', () => {
    const examples = require('libphonenumber-js/examples.mobile.json') as Record<string, string>;
    const misplaced = Object.entries(examples).filter(([country, national]) => {
      const number = full.parsePhoneNumberFromString(national, country as never)?.number;
      return number !== undefined && countryBy(smallest, number) !== countryBy(full, number);
    });
    expect(misplaced).toEqual([]);
  });
});

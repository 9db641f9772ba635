import { loadNumberMetadata, PHONE_NUMBER_METADATA } from '../../src/core/number-metadata';
import { COSTLY_NUMBER_TYPES, NON_GEOGRAPHIC_CALLING_CODES } from '../../src/core/screen/settings';

// The pumping shield asks libphonenumber-js what a number is; its lists must be the library's.
const metadata = require('libphonenumber-js/metadata.max.json') as { nonGeographic: Record<string, unknown> };

describe(`${PHONE_NUMBER_METADATA}, what the sender asks what a number is`, () => {
  const library = loadNumberMetadata(() => require(PHONE_NUMBER_METADATA));

  it("knows the calling codes of no country that the sender refuses without it, and no others", () => {
    expect([...NON_GEOGRAPHIC_CALLING_CODES].sort()).toEqual(Object.keys(metadata.nonGeographic).sort());
  });

  it.each([
    ['+19005550100', 'PREMIUM_RATE'],
    ['+449012345678', 'PREMIUM_RATE'],
    ['+33836123456', 'PREMIUM_RATE'],
    ['+447012345678', 'PERSONAL_NUMBER'],
    ['+5511987654321', 'MOBILE'],
    ['+15550105310', undefined],
  ])('tells the type of %s: %s', (number, type) => {
    expect(library?.parsePhoneNumberFromString(number)?.getType()).toBe(type);
  });

  it('tells every costly type the sender refuses, for some number', () => {
    const examples: Record<(typeof COSTLY_NUMBER_TYPES)[number], string> = {
      PREMIUM_RATE: '+19005550100',
      SHARED_COST: '+4382040738465',
      UAN: '+443791819872',
      VOICEMAIL: '+3934747786096',
      PAGER: '+447644554677',
    };
    const told = Object.entries(examples).map(([type, number]) => [type, library?.parsePhoneNumberFromString(number)?.getType()]);
    expect(told.filter(([type, got]) => type !== got)).toEqual([]);
  });

  it('is undefined, not a throw, where the runtime has no such module or something else loads', () => {
    expect(loadNumberMetadata(() => {
      throw new Error(`Cannot find module '${PHONE_NUMBER_METADATA}'`);
    })).toBeUndefined();
    expect(loadNumberMetadata(() => ({ parsePhoneNumberFromString: () => undefined }))).toBeUndefined();
  });
});

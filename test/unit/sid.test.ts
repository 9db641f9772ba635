import { isSid } from '../../src/core/sid';

/** The one pattern of Twilio's SIDs (src/core/sid.ts): what config, the SID echoed and the WhatsApp memory each accept. */

const HEX = '0123456789abcdef0123456789abcdef';

describe('isSid', () => {
  it('takes a SID of a type named, in hex of either case, and no other type', () => {
    expect(isSid(`AC${HEX}`, 'AC')).toBe(true);
    expect(isSid(`AC${HEX.toUpperCase()}`, 'AC')).toBe(true);
    expect(isSid(`SK${HEX}`, 'AC')).toBe(false);
  });

  it('takes a message of either type named: SM sent as SMS, MM as MMS', () => {
    expect(isSid(`SM${HEX}`, 'SM', 'MM')).toBe(true);
    expect(isSid(`MM${HEX}`, 'SM', 'MM')).toBe(true);
    expect(isSid(`CA${HEX}`, 'SM', 'MM')).toBe(false);
  });

  it('takes any two capital letters when no type is named', () => {
    expect(isSid(`CA${HEX}`)).toBe(true);
    expect(isSid(`ca${HEX}`)).toBe(false);
  });

  it.each([
    ['31 digits', `AC${HEX.slice(1)}`],
    ['33 digits', `AC${HEX}0`],
    ['a digit that is not hex', `AC${HEX.slice(1)}g`],
    ['text around it', ` AC${HEX}`],
    ['a line after it', `AC${HEX}\n`],
  ])('refuses %s', (_what, value) => {
    expect(isSid(value, 'AC')).toBe(false);
    expect(isSid(value)).toBe(false);
  });

  it('refuses what is not text', () => {
    expect(isSid(undefined)).toBe(false);
    expect(isSid(12345)).toBe(false);
  });
});

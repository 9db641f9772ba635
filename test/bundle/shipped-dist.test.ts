import { builtinModules } from 'node:module';
import { loadAction } from '../../tools/runtime/action-runtime';
import { runtimeRequire, shippedBundle, type Entry } from '../helpers/bundles';
import { ENTRIES, runEntry, type EntryName } from '../helpers/entries';
import { ACTION_CODE, SECRETS } from '../fixtures/values';
import { mockTwilio } from '../helpers/mock-twilio';
import { PHONE_NUMBER_METADATA } from '../../src/core/number-metadata';
import { refuseTwilioConnections } from '../helpers/fake-twilio';
import { AUTH0_CODE_LIMIT_BYTES } from '../../scripts/auth0-limits';

refuseTwilioConnections();

const BUNDLES: ReadonlyArray<[EntryName, Entry]> = [
  ['hook', 'hook/send-phone-message'],
  ['send-phone-message', 'actions/send-phone-message'],
  ['custom-phone-provider', 'actions/custom-phone-provider'],
];

// What holds for the committed dist/ whatever src/customize.ts says: the adopter's build is
// checked here only for what any valid customization keeps.
describe.each(BUNDLES)('the committed bundle of the %s (%s.js)', (entryName, entry) => {
  const bundle = shippedBundle(entry);

  it("fits Auth0's limit and stays readable: no minified lines, the entry's banner on top", () => {
    expect(Buffer.byteLength(bundle)).toBeLessThanOrEqual(AUTH0_CODE_LIMIT_BYTES);
    expect(bundle.split('\n').filter((line) => line.length > 300)).toEqual([]);
    expect(bundle).toMatch(/^\/\*\*\n \* Auth0 (Send Phone Message hook|Action, (Send Phone Message|Custom Phone Provider) trigger): delivers/);
    expect(bundle).toContain(`// Built from src/${entry}.ts by \`npm run build\``);
  });

  it('requires only what the tenant declares (twilio, libphonenumber-js) and Node built-ins', () => {
    const required = [...bundle.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((match) => String(match[1]));
    expect(required).toContain('twilio');
    expect(required).toContain(PHONE_NUMBER_METADATA);
    expect(required.filter((id) => !['twilio', PHONE_NUMBER_METADATA].includes(id) && !builtinModules.includes(id.replace(/^node:/, '')))).toEqual([]);
  });

  it.each([
    ['sms', 'enrollment'],
    ['sms', 'verification'],
    ['voice', 'verification'],
  ] as const)('sends a %s %s code with the code in it', async (channel, purpose) => {
    const twilio = mockTwilio();
    const outcome = await runEntry(entryName, twilio.module, { secrets: { ...SECRETS }, channel, purpose, code: ACTION_CODE }, { script: bundle });
    expect(outcome.delivered).toBe(true);
    const sent = channel === 'sms' ? twilio.messagesCreate.mock.calls[0]?.[0].body : twilio.callsCreate.mock.calls[0]?.[0].twiml;
    expect(sent).toContain(channel === 'sms' ? ACTION_CODE : '7, 3, 0, 1, 6, 4');
  });
});

describe('the committed hook bundle', () => {
  const bundle = shippedBundle('hook/send-phone-message');

  it('exports a function of (recipient, text, context, cb) without needing `exports`', () => {
    const module = { exports: {} as unknown };
    new Function('module', 'require', bundle)(module, runtimeRequire(mockTwilio().module));
    expect(typeof module.exports).toBe('function');
    expect((module.exports as (...args: unknown[]) => unknown).length).toBe(4);
  });

  it('declares neither of the classes Auth0 puts in front of it', () => {
    expect(bundle).not.toMatch(/\b(?:class|var|let|const|function)\s+(?:ExtensibilityUserError|SendPhoneMessageError)\b/);
  });
});

describe.each([
  ['actions/send-phone-message', 'onExecuteSendPhoneMessage'],
  ['actions/custom-phone-provider', 'onExecuteCustomPhoneProvider'],
] as const)('the committed %s bundle', (entry, exportName) => {
  it(`exports ${exportName} alone`, () => {
    const exported = loadAction(shippedBundle(entry), { require: runtimeRequire(mockTwilio().module) });
    expect(Object.keys(exported)).toEqual([exportName]);
    expect(typeof exported[exportName]).toBe('function');
  });
});

it('covers every entry', () => {
  expect(BUNDLES.map(([name]) => name)).toEqual([...ENTRIES]);
});

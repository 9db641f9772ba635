import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENTRIES, runEntry } from '../helpers/entries';
import { ACTION_CODE, SECRETS } from '../fixtures/values';
import { mockTwilio } from '../helpers/mock-twilio';
import { refuseTwilioConnections } from '../helpers/fake-twilio';

refuseTwilioConnections();

const ROOT = join(__dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The code of a customization fixture, as it must stand in the README (imports and comments aside). */
function exampleCode(name: string): string {
  return readFileSync(join(ROOT, 'test', 'fixtures', 'customizations', `${name}.ts`), 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('import ') && !line.startsWith('//'))
    .join('\n')
    .trim();
}

describe.each(['readme-prefix-app', 'readme-per-language'])('the README customization example %s', (example) => {
  it('stands in the README as the tests build it', () => {
    expect(README).toContain(exampleCode(example));
  });
});

describe.each(ENTRIES)('the README customization examples, built into the %s', (entry) => {
  async function sentText(customization: string, scenario: Parameters<typeof runEntry>[2]) {
    const twilio = mockTwilio();
    const outcome = await runEntry(entry, twilio.module, scenario, { customization });
    expect(outcome).toMatchObject({ delivered: true });
    return twilio.messagesCreate.mock.calls[0]?.[0].body;
  }

  it('prefixes the application name', async () => {
    expect(await sentText('readme-prefix-app', { secrets: { ...SECRETS }, clientName: 'Acme Portal' })).toBe(`Acme Portal: Your Acme verification code is ${ACTION_CODE}`);
  });

  it('writes the verification text of the login language, with the brand of the client metadata', async () => {
    const scenario = { secrets: { ...SECRETS }, language: 'fr', clientMetadata: { brand: 'Globex' } };
    expect(await sentText('readme-per-language', scenario)).toBe(`${ACTION_CODE} est votre code Globex. Il expire dans 5 minutes.`);
  });

  it("keeps Auth0's text for an enrollment and for a language it has no text for", async () => {
    expect(await sentText('readme-per-language', { secrets: { ...SECRETS }, purpose: 'enrollment' })).toBe(`Your Acme enrollment code is ${ACTION_CODE}`);
    expect(await sentText('readme-per-language', { secrets: { ...SECRETS }, language: 'de' })).toBe(`Your Acme verification code is ${ACTION_CODE}`);
  });
});

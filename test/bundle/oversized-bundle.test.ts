import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUTH0_CODE_LIMIT_BYTES } from '../../scripts/auth0-limits';

const ROOT = join(__dirname, '..', '..');
const OUT_DIR = join(ROOT, 'build', 'test-oversized');
const { bundleEntries } = require('../../scripts/build.js') as {
  bundleEntries: (options: { outDir: string; customization: string }) => Promise<void>;
};

/** An adopter's customization carrying 20 kB of its own text: no bundle fits Auth0's limit with it. */
const OVERSIZED_CUSTOMIZATION = `import type { MessageContext } from '../../src/core/customization';

const TERMS = '${'Terms of use apply. '.repeat(1_000)}';

export function customizeMessage(message: MessageContext): string {
  return message.text.length > 0 ? message.text : TERMS;
}
`;

beforeAll(() => {
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, 'customize.ts'), OVERSIZED_CUSTOMIZATION);
});

afterAll(() => rmSync(OUT_DIR, { recursive: true, force: true }));

test("the build refuses a bundle over Auth0's limit: which file, its size, the limit and what to shorten, and writes none", async () => {
  const limit = AUTH0_CODE_LIMIT_BYTES.toLocaleString('en-US');
  await expect(bundleEntries({ outDir: OUT_DIR, customization: join(OUT_DIR, 'customize.ts') })).rejects.toThrow(
    new RegExp(
      `^build/test-oversized/(hook|actions)/[a-z-]+\\.js would be 1\\d{2},\\d{3} bytes, over Auth0's limit of ${limit} bytes for an action's code\\. ` +
        `Shorten what build/test-oversized/customize\\.ts adds \\(its comments count too\\), then build again; nothing was written\\.$`,
    ),
  );
  for (const bundle of ['hook/send-phone-message.js', 'actions/send-phone-message.js', 'actions/custom-phone-provider.js']) {
    expect(existsSync(join(OUT_DIR, bundle))).toBe(false);
  }
});

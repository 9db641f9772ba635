/**
 * `npm run deploy`: puts the Twilio phone-message action on an Auth0 tenant through the
 * Management API (Auth0's Node SDK), as one command a CI job can run.
 *
 *   npm run deploy -- --trigger send-phone-message|custom-phone-provider [--secrets FILE]
 *                     [--dry-run] [--test] [--enable-mfa] [--name NAME] [--no-build] [--build-timeout SECONDS]
 *
 * It builds dist/, reads the tenant, prints the plan (secret names only), then creates or updates
 * the action (code, runtime node22, the exact twilio version the tests cover, the secrets), waits
 * for Auth0 to build it, deploys it and binds it to its trigger, keeping the other actions bound.
 * Unchanged input makes no new version: secrets are compared through a keyed fingerprint
 * (fingerprint.ts), since Auth0 never returns their values. Credentials and secrets come from a
 * dotenv file (.env by default). Exit codes: 0 done, 1 failed, 2 wrong usage.
 *
 * Run through `node scripts/run-ts.js tools/deploy/deploy.ts`; the entry is not named cli.ts
 * because run-ts.js bundles into build/<basename>.js and the runner already owns build/cli.js.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { deployCommand } from './run';

/** The repository: the nearest directory above this file (bundled into build/) with a package.json. */
function repositoryRoot(start: string): string {
  for (let directory = start; ; directory = path.dirname(directory)) {
    if (existsSync(path.join(directory, 'package.json'))) return directory;
    if (path.dirname(directory) === directory) return process.cwd();
  }
}

// npm runs scripts from the package root; INIT_CWD is where the user typed the command.
const cwd = process.env.INIT_CWD ?? process.cwd();

void deployCommand(process.argv.slice(2), {
  root: repositoryRoot(__dirname),
  cwd,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then((code) => {
  process.exitCode = code;
});

import { execFile } from 'node:child_process';
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeManagementApi, type FakeManagementApi, type FakeManagementApiOptions } from '../../tools/fake-management-api/server';

/**
 * Runs the real deploy command as a child process against a fake Management API on 127.0.0.1,
 * whose self-signed certificate the child trusts through NODE_EXTRA_CA_CERTS. The command is
 * tools/deploy/deploy.ts bundled by esbuild once per test file, into its own directory (run-ts.js
 * rewrites build/deploy.js at every run, which test files running side by side would otherwise
 * read half-written), with the auth0 SDK inlined: the same code, loaded in a third of the time it
 * takes to resolve its many files from node_modules, which is most of a run's CPU. The npm
 * script's own wiring (run-ts.js) is run by the usage test in deploy-errors.test.ts.
 */
export const ROOT = path.resolve(__dirname, '../..');
export const CLIENT_ID = 'deployClientId0000000000000000001';
export const CLIENT_SECRET = 'client-secret-V3ry-S3cret-never-printed-0001';

/** Distinctive values, so a test can prove none of them reaches the output. */
export const TWILIO_SECRETS: Readonly<Record<string, string>> = {
  TWILIO_ACCOUNT_SID: 'ACdeadbeef00000000000000000000c0de',
  TWILIO_AUTH_TOKEN: 'auth-token-Zq81-never-printed-00001',
  TWILIO_PHONE_NUMBER: '+15005550006',
};

export const ALL_SCOPES = [
  'read:actions',
  'create:actions',
  'update:actions',
  'read:phone_providers',
  'create:phone_providers',
  'update:phone_providers',
  'read:guardian_factors',
  'update:guardian_factors',
];

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  output: string;
}

/** One temporary directory per test file, for the secrets files and the CA certificate. */
export class Workspace {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'deploy-test-'));
  private files = 0;

  file(name: string, content: string): string {
    this.files += 1;
    const file = path.join(this.dir, `${this.files}-${name}`);
    writeFileSync(file, content);
    return file;
  }

  secretsFile(domain: string, overrides: Record<string, string | undefined> = {}): string {
    const values: Record<string, string | undefined> = { AUTH0_DOMAIN: domain, AUTH0_CLIENT_ID: CLIENT_ID, AUTH0_CLIENT_SECRET: CLIENT_SECRET, ...TWILIO_SECRETS, ...overrides };
    const lines = Object.entries(values).flatMap(([name, value]) => (value === undefined ? [] : [`${name}=${value}`]));
    return this.file('.env', `${lines.join('\n')}\n`);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function startFake(workspace: Workspace, options: Partial<FakeManagementApiOptions> & { certificate: { key: string; cert: string } }): Promise<{ api: FakeManagementApi; caFile: string }> {
  const api = await startFakeManagementApi({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scopes: ALL_SCOPES, ...options });
  return { api, caFile: workspace.file('ca.pem', api.certificate) };
}

/** Bundles the deploy command for one test file; returns the script to run. */
export function bundleDeployCommand(testFile: string): string {
  const outfile = path.join(ROOT, 'build', 'test-deploy', path.basename(testFile, '.test.ts'), 'deploy.js');
  buildSync({
    absWorkingDir: ROOT,
    entryPoints: ['tools/deploy/deploy.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  return outfile;
}

/** Runs the bundled command with these arguments; `--no-build` unless the test asks for the build. */
export function runDeploy(command: string, args: readonly string[], options: { caFile?: string; build?: boolean } = {}): Promise<RunResult> {
  const argv = [command, ...args, ...(options.build ? [] : ['--no-build'])];
  const env: NodeJS.ProcessEnv = { ...process.env, ...(options.caFile ? { NODE_EXTRA_CA_CERTS: options.caFile } : {}) };
  delete env.INIT_CWD;
  return new Promise((resolve) => {
    execFile(process.execPath, argv, { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr, output: stdout + stderr });
    });
  });
}

/** The secret values a run may hold: none of them may appear in its output. */
export function expectNoSecretValues(result: RunResult, secrets: Record<string, string | undefined> = {}): void {
  const values = [CLIENT_SECRET, ...Object.values({ ...TWILIO_SECRETS, ...secrets })].filter((value): value is string => value !== undefined);
  for (const value of values) expect(result.output).not.toContain(value);
}

import { execFile, fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { buildSync, version as esbuildVersion, type BuildOptions } from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DriverAnswer, DriverRequest } from './driver';
import { ACTION_SCOPES, MFA_SCOPES, PHONE_PROVIDER_SCOPES } from '../../tools/deploy/tenant-api';
import { startFakeManagementApi, type FakeManagementApi, type FakeManagementApiOptions } from '../../tools/fake-management-api/server';
import { loopbackCertificate } from '../../tools/fake-twilio/tls';
import { expectNoSecrets } from '../helpers/no-secrets';

/**
 * Runs the real deploy command, with the real auth0 SDK, against a fake Management API on
 * 127.0.0.1 (AUTH0_DOMAIN=127.0.0.1:PORT), whose self-signed certificate the command trusts
 * through NODE_EXTRA_CA_CERTS. Starting Node and loading the SDK is most of a run's CPU, so a
 * test file starts one driver process (driver.ts) that calls the command's runCli, as the
 * launcher does, once per request; one test runs the npm script's command in a process of its
 * own (spawnDeploy), and the usage test in deploy-errors.test.ts runs `npm run deploy` itself.
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

/** Every scope a run may need: the fakes grant them all unless a test takes one away. */
export const ALL_SCOPES = [...ACTION_SCOPES, ...PHONE_PROVIDER_SCOPES, ...MFA_SCOPES];

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

/** A fake tenant on its own server and port, serving the test file's certificate (the one the driver trusts). */
export function startFake(options: Partial<FakeManagementApiOptions> & { certificate: { key: string; cert: string } }): Promise<FakeManagementApi> {
  return onNewPort(() => startFakeManagementApi({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scopes: ALL_SCOPES, ...options }));
}

/** The domains (127.0.0.1:PORT) this test file's servers have had. */
const usedDomains = new Set<string>();

/**
 * Starts a server with `start` until it gets a port no earlier server of this test file had,
 * holding the others open meanwhile so that the system hands out another. Runs share the
 * driver process, whose fetch keeps connections alive per host and port, as any client does:
 * a server on a port used before could otherwise be reached through a connection kept from a
 * run against the server closed there, which no single process of the command would do.
 */
export async function onNewPort<T extends { domain: string; close(): Promise<void> }>(start: () => Promise<T>): Promise<T> {
  const held: T[] = [];
  try {
    for (;;) {
      const server = await start();
      if (!usedDomains.has(server.domain)) {
        usedDomains.add(server.domain);
        return server;
      }
      held.push(server);
    }
  } finally {
    await Promise.all(held.map((server) => server.close()));
  }
}

/**
 * The certificate that a test file's fakes serve and its runs trust, for 127.0.0.1 and Twilio's
 * hosts alike: the one tools/fake-twilio/tls.ts makes once and keeps in build/.
 */
export { loopbackCertificate };

/** Where the driver's bundle lives; shared by the test files, and kept from one run to the next. */
const BUNDLE_DIR = path.join(ROOT, 'build', 'test-deploy', 'bundle');

const BUNDLE_OPTIONS = {
  absWorkingDir: ROOT,
  entryPoints: { driver: 'test/deploy/driver.ts' },
  outdir: BUNDLE_DIR,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  // --check's twilio, loaded from node_modules as the command loads it.
  external: ['twilio'],
} satisfies BuildOptions;

/** What a bundle was made from: esbuild's version and options, and every file it read, by content. */
interface BundleStamp {
  key: string;
  inputs: string[];
  hash: string;
}

/**
 * The driver (driver.ts), with the command and the auth0 SDK inlined by esbuild: the same code,
 * loaded in a third of the time it takes to resolve the SDK's many files from node_modules,
 * which is most of a run's CPU. Bundling costs more CPU than that saves, so the bundle is made
 * again only when a file it was made from changed (compared by content: npm gives installed
 * files old dates), or esbuild or its options did. Files are replaced by a rename, so a test file
 * running alongside reads the old bundle or the new one, never half of one. Returns its path.
 */
export function bundleDriver(): string {
  const driver = path.join(BUNDLE_DIR, 'driver.js');
  const stampFile = path.join(BUNDLE_DIR, 'stamp.json');
  const key = JSON.stringify({ esbuild: esbuildVersion, options: BUNDLE_OPTIONS });
  const stamp = readStamp(stampFile);
  if (stamp?.key === key && existsSync(driver) && contentHash(stamp.inputs) === stamp.hash) return driver;

  const started = Date.now();
  const result = buildSync({ ...BUNDLE_OPTIONS, write: false, metafile: true });
  mkdirSync(BUNDLE_DIR, { recursive: true });
  for (const output of result.outputFiles) replaceFile(output.path, output.contents);
  // esbuild reads tsconfig.json too, without listing it.
  const inputs = [...Object.keys(result.metafile.inputs), 'tsconfig.json'];
  // A file saved while esbuild read it may be in the bundle in its old content: no stamp then,
  // so the next run bundles again.
  const changedSince = inputs.some((input) => {
    try {
      return statSync(path.join(ROOT, input)).mtimeMs >= started - 1000;
    } catch {
      return true;
    }
  });
  const hash = contentHash(inputs);
  if (!changedSince && hash !== undefined) replaceFile(stampFile, JSON.stringify({ key, inputs, hash } satisfies BundleStamp));
  else rmSync(stampFile, { force: true });
  return driver;
}

function readStamp(file: string): BundleStamp | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as BundleStamp;
  } catch {
    return undefined;
  }
}

/** A hash of these files' names and contents; undefined when one is gone. */
function contentHash(inputs: readonly string[]): string | undefined {
  const hash = createHash('sha256');
  for (const input of inputs) {
    let content: Buffer;
    try {
      content = readFileSync(path.join(ROOT, input));
    } catch {
      return undefined;
    }
    hash.update(`${input}\0${content.length}\0`).update(content);
  }
  return hash.digest('hex');
}

/** Writes next to the file, then renames over it: a reader sees the old content or the new. */
function replaceFile(file: string, content: string | Uint8Array): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}

function commandLine(args: readonly string[], options: { build?: boolean }): string[] {
  return [...args, ...(options.build ? [] : ['--no-build'])];
}

function childEnvironment(caFile: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  if (caFile) env.NODE_EXTRA_CA_CERTS = caFile;
  // npm sets INIT_CWD for `npm test`; the command would take it for the shell's directory.
  delete env.INIT_CWD;
  return env;
}

/**
 * Runs `npm run deploy` as its own process, with these arguments (`--no-build` unless the test
 * asks for the build): the npm script's command, the launcher scripts/run-ts.js bundling
 * tools/deploy/cli.ts and calling its runCli, without npm itself.
 */
export function spawnDeploy(args: readonly string[], options: { caFile?: string; build?: boolean } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['scripts/run-ts.js', 'tools/deploy/cli.ts', ...commandLine(args, options)], { cwd: ROOT, env: childEnvironment(options.caFile), timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr, output: stdout + stderr });
    });
  });
}

/**
 * One driver process (driver.ts) for a test file, started with NODE_EXTRA_CA_CERTS naming the
 * fakes' certificate. Each run is one call of the command, as the entry makes it, with its own
 * arguments and output; runs may overlap. Whatever the process prints outside a run's output (it
 * should print nothing) is kept, and `close` fails if it holds a secret value any run was given.
 */
export class DeployDriver {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (result: RunResult) => void; reject: (error: Error) => void }>();
  private stray = '';
  private readonly secretValues = new Set<string>([CLIENT_SECRET, ...Object.values(TWILIO_SECRETS)]);
  private readonly exited: Promise<void>;
  private exitedWith: string | undefined;

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (text: string) => (this.stray += text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => (this.stray += text));
    child.on('error', (error) => (this.stray += `\n${error.message}\n`));
    child.on('message', (answer: DriverAnswer) => {
      const waiting = this.pending.get(answer.id);
      if (!waiting) return;
      this.pending.delete(answer.id);
      waiting.resolve({ code: answer.code, stdout: answer.stdout, stderr: answer.stderr, output: answer.stdout + answer.stderr });
    });
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exitedWith = `the deploy driver exited (${signal ?? `code ${code}`})${this.stray ? `, printing:\n${this.stray}` : ''}`;
        for (const waiting of this.pending.values()) waiting.reject(new Error(this.exitedWith));
        this.pending.clear();
        resolve();
      });
    });
  }

  /** Starts the driver; resolves once it has loaded the command. */
  static async start(script: string, caFile: string): Promise<DeployDriver> {
    const child = fork(script, [], { cwd: ROOT, env: childEnvironment(caFile), execArgv: [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    const driver = new DeployDriver(child);
    await new Promise<void>((resolve, reject) => {
      const onReady = (message: unknown): void => {
        if (message !== 'ready') return;
        child.off('message', onReady);
        resolve();
      };
      child.on('message', onReady);
      void driver.exited.then(() => reject(new Error(driver.exitedWith)));
    });
    return driver;
  }

  /**
   * Runs the command once with these arguments; `--no-build` unless the test asks for the build;
   * Twilio's hosts go to 127.0.0.1:`twilioPort`, a fake Twilio, when given (--check, or
   * `command: 'check'`, which runs `npm run check` instead of the deploy); `root`: another
   * repository than this one (its dist/ and package-lock.json).
   */
  run(args: readonly string[], secrets: Record<string, string | undefined> = {}, options: { build?: boolean; twilioPort?: number; command?: 'deploy' | 'check'; root?: string } = {}): Promise<RunResult> {
    if (this.exitedWith !== undefined) return Promise.reject(new Error(this.exitedWith));
    for (const value of Object.values(secrets)) if (value !== undefined) this.secretValues.add(value);
    const command = options.command ?? 'deploy';
    const request: DriverRequest = {
      id: (this.nextId += 1),
      command,
      // `npm run check` builds nothing: it takes no --no-build.
      argv: command === 'check' ? [...args] : commandLine(args, options),
      root: options.root ?? ROOT,
      cwd: ROOT,
      ...(options.twilioPort === undefined ? {} : { twilioPort: options.twilioPort }),
    };
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject });
      this.child.send(request, (error) => {
        if (!error) return;
        this.pending.delete(request.id);
        reject(error);
      });
    });
  }

  /** Ends the driver, then checks that it printed no secret value outside the runs' output. */
  async close(): Promise<void> {
    if (this.exitedWith === undefined) this.child.disconnect();
    await this.exited;
    expectNoSecrets(this.stray, this.secretValues);
  }
}

/** The secret values a run may hold: none of them may appear in its output (the one no-secret assertion of the tests). */
export function expectNoSecretValues(result: RunResult, secrets: Record<string, string | undefined> = {}): void {
  expectNoSecrets(result.output, [CLIENT_SECRET, ...Object.values({ ...TWILIO_SECRETS, ...secrets })]);
}

/** What a test file of the deploy shares: its workspace, the fakes' certificate, the driver process. */
export interface DeployTestFile {
  workspace: Workspace;
  /** The certificate the fakes serve and the runs trust, once beforeAll has made it. */
  certificate(): { key: string; cert: string };
  /** The file holding it, for NODE_EXTRA_CA_CERTS. */
  caFile(): string;
  /** The driver, once beforeAll has started it. */
  driver(): DeployDriver;
}

/**
 * Starts a test file's driver (with the fakes' certificate trusted) before its tests, and after
 * them closes it, checking that it printed no secret outside the runs, and removes the workspace.
 */
export function useDeployDriver(): DeployTestFile {
  const workspace = new Workspace();
  const script = bundleDriver();
  let certificate: { key: string; cert: string } | undefined;
  let caFile: string | undefined;
  let driver: DeployDriver | undefined;
  beforeAll(async () => {
    const made = await loopbackCertificate();
    certificate = made;
    caFile = workspace.file('ca.pem', made.cert);
    driver = await DeployDriver.start(script, caFile);
  });
  afterAll(async () => {
    try {
      await driver?.close();
    } finally {
      workspace.remove();
    }
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the deploy test file has no ${what}: beforeAll did not finish`);
    return value;
  };
  return { workspace, certificate: () => ready(certificate, 'certificate'), caFile: () => ready(caFile, 'CA file'), driver: () => ready(driver, 'driver') };
}

export interface TenantUnderTest {
  api: FakeManagementApi;
  /** Runs the command against this tenant with the default secrets, overridden by `secrets` (undefined: left out). */
  deploy: (args: string[], secrets?: Record<string, string | undefined>) => Promise<RunResult>;
}

/**
 * A test against a fake tenant of its own, closed afterwards (tests run concurrently, each with
 * its own server). Every run is checked for secret values in its output: none may appear. The
 * runs go through the file's driver, or with `ownProcess` each in a process of its own.
 */
export function withTenant(file: DeployTestFile, body: (tenant: TenantUnderTest) => Promise<void>, options: Omit<Partial<FakeManagementApiOptions>, 'certificate'> = {}, ownProcess = false): () => Promise<void> {
  return async () => {
    // One read of a pending build unless a test asks for more: the wait itself is a test's subject.
    const api = await startFake({ certificate: file.certificate(), build: { readsBeforeDone: 1 }, ...options });
    const deploy = async (args: string[], secrets: Record<string, string | undefined> = {}): Promise<RunResult> => {
      const argv = [...args, '--secrets', file.workspace.secretsFile(api.domain, secrets)];
      const result = ownProcess ? await spawnDeploy(argv, { caFile: file.caFile() }) : await file.driver().run(argv, secrets);
      expectNoSecretValues(result, secrets);
      return result;
    };
    try {
      await body({ api, deploy });
    } finally {
      await api.close();
    }
  };
}

/** The tenant's stored action of that name (its versions, draft and secret values), which the test requires. */
export function storedAction(api: FakeManagementApi, name = 'twilio-phone-message') {
  const found = api.tenant.actions.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`the tenant has no action ${name}`);
  return found;
}

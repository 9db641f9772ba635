import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { FakeManagementApi, FakeManagementApiOptions } from '../../tools/fake-management-api/server';
import { AUTH0_CODE_LIMIT_BYTES } from '../../scripts/auth0-limits';
import { ALL_SCOPES, expectNoSecretValues, onNewPort, ROOT, startFake, useDeployDriver, type RunResult } from './harness';

/**
 * The failures a real deploy meets, each against a fake that fails the way Auth0 does: every one
 * exits 1 with what went wrong and the fix, writes nothing it should not, and prints no secret.
 * The runs go through one driver process for the file (harness.ts); the last test runs
 * `npm run deploy` itself.
 */

const file = useDeployDriver();
const { workspace } = file;

/** Runs the command once in the driver, with these arguments and the secrets they hold. */
function runDeploy(args: string[], secrets: Record<string, string> = {}): Promise<RunResult> {
  return file.driver().run(args, secrets);
}

const SEND = ['--trigger', 'send-phone-message'];

/** Runs the command once against a fresh fake tenant; the fake is closed before the result is checked. */
async function deployAgainst(options: Omit<Partial<FakeManagementApiOptions>, 'certificate'>, args: string[] = SEND, secrets: Record<string, string> = {}, seed?: (api: FakeManagementApi) => void): Promise<{ result: RunResult; api: FakeManagementApi }> {
  const api = await startFake({ certificate: file.certificate(), build: { readsBeforeDone: 1 }, ...options });
  try {
    seed?.(api);
    const result = await runDeploy([...args, '--secrets', workspace.secretsFile(api.domain, secrets)], secrets);
    expectNoSecretValues(result, secrets);
    return { result, api };
  } finally {
    await api.close();
  }
}

test.concurrent('a domain that does not resolve fails on DNS and says which domain to set', async () => {
  const result = await runDeploy([...SEND, '--secrets', workspace.secretsFile('acme-tenant.invalid')]);

  expect(result.code).toBe(1);
  // A resolver that does not answer in time (EAI_AGAIN) is a failure of its own, told apart
  // (errors.test.ts); the run's outcome depends on this machine's DNS, its wording must not.
  if (result.stderr.includes('(DNS: EAI_AGAIN)')) {
    expect(result.stderr).toContain("Fix: Check this machine's network and DNS");
  } else {
    expect(result.stderr).toContain('AUTH0_DOMAIN acme-tenant.invalid does not resolve from this machine (DNS: ENOTFOUND)');
    expect(result.stderr).toContain("Fix: Set AUTH0_DOMAIN to your tenant's domain");
  }
  expectNoSecretValues(result);
});

test.concurrent('a host that is not an Auth0 tenant is named as such from its answer to the sign-in', async () => {
  const server = await onNewPort(async () => {
    const https = createServer(file.certificate(), (_request, response) => {
      response.statusCode = 404;
      response.setHeader('content-type', 'text/html');
      response.end('<html><body>Not here</body></html>');
    });
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    return {
      domain: `127.0.0.1:${(https.address() as AddressInfo).port}`,
      close: () => {
        https.closeAllConnections();
        return new Promise<void>((resolve) => https.close(() => resolve()));
      },
    };
  });
  try {
    const domain = server.domain;
    const result = await runDeploy([...SEND, '--secrets', workspace.secretsFile(domain)]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${domain} answered the sign-in (POST /oauth/token) with HTTP 404 without an OAuth error, not as an Auth0 tenant does.`);
    expect(result.stderr).not.toContain('<html>');
    expectNoSecretValues(result);
  } finally {
    await server.close();
  }
});

test.concurrent("a secret the action would refuse fails the run in the sender's words, before any request", async () => {
  const { result, api } = await deployAgainst({}, SEND, { TWILIO_REGION: 'eu1' });

  expect(result.code).toBe(1);
  expect(result.stderr).toContain('Deploy failed: TWILIO_REGION is not a Twilio region this sender knows: use one of us1, ie1, au1, or remove the secret.');
  expect(result.stderr).toMatch(/Fix: Correct it in \S+\.env, then run the command again/);
  expect(api.requests).toEqual([]);
});

test.concurrent("a bundle that the fingerprint comment pushes over Auth0's limit is refused with its size, before any request", async () => {
  // A repository whose built action fits the limit by 50 bytes: the build let it through.
  const root = mkdtempSync(join(tmpdir(), 'oversized-deploy-'));
  const api = await startFake({ certificate: file.certificate() });
  try {
    mkdirSync(join(root, 'dist', 'actions'), { recursive: true });
    writeFileSync(join(root, 'dist', 'actions', 'send-phone-message.js'), `exports.onExecuteSendPhoneMessage = async () => {};\n//${'x'.repeat(AUTH0_CODE_LIMIT_BYTES - 100)}\n`.padEnd(AUTH0_CODE_LIMIT_BYTES - 50, 'x'));
    copyFileSync(join(ROOT, 'package-lock.json'), join(root, 'package-lock.json'));
    const result = await file.driver().run([...SEND, '--secrets', workspace.secretsFile(api.domain)], {}, { root });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`Deploy failed: dist/actions/send-phone-message\\.js with the secrets fingerprint this command appends is 100,\\d{3} bytes, over Auth0's limit of ${AUTH0_CODE_LIMIT_BYTES.toLocaleString('en-US')} bytes for an action's code\\. Nothing was sent to Auth0\\.`),
    );
    expect(result.stderr).toContain('Fix: Shorten what src/customize.ts adds (its comments count too), or set fewer secrets, then deploy again.');
    expect(api.requests).toEqual([]);
    expectNoSecretValues(result);
  } finally {
    await api.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test.concurrent('wrong client credentials fail at sign-in with access_denied, before anything is read or written', async () => {
  const wrongSecret = 'wrong-client-secret-never-printed-0009';
  const { result, api } = await deployAgainst({}, SEND, { AUTH0_CLIENT_SECRET: wrongSecret });

  expect(result.code).toBe(1);
  expect(result.stderr).toContain('Auth0 refused the client credentials (access_denied: Unauthorized).');
  expect(result.stderr).toContain('Fix: Check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET');
  expect(api.requests).toEqual([]);
});

test.concurrent('a missing scope is named, with where to grant it and the scopes the run needs', async () => {
  const { result, api } = await deployAgainst({ scopes: ALL_SCOPES.filter((scope) => scope !== 'create:actions') });

  expect(result.code).toBe(1);
  expect(result.stderr).toContain('The application lacks the scope create:actions, needed for creating the action (Auth0: Insufficient scope, expected any of: create:actions).');
  expect(result.stderr).toContain('Machine To Machine Applications');
  expect(result.stderr).toContain('This run needs read:actions, create:actions, update:actions.');
  expect(api.writes()).toEqual([]);
});

test.concurrent('a rate limit is waited out as Auth0 asks, and the write it refused is made exactly once', async () => {
  const { result, api } = await deployAgainst({ rateLimit: { matches: (method, path) => method === 'POST' && path === '/api/v2/actions/actions', times: 1, retryAfterSeconds: 1 } });

  expect(result.code).toBe(0);
  expect(result.stdout).toContain('Auth0 rate limit while creating the action: waiting 1.0 s (retry 1)');
  expect(api.requests.filter((request) => request.method === 'POST' && request.path === '/api/v2/actions/actions').map((request) => request.status)).toEqual([429, 201]);
  expect(api.tenant.actions).toHaveLength(1);
});

test.concurrent('a rate limit that asks for a longer wait than the bound fails at once, saying when to run again', async () => {
  const { result, api } = await deployAgainst({ rateLimit: { matches: () => true, times: 100, retryAfterSeconds: 120 } });

  expect(result.code).toBe(1);
  expect(result.stderr).toContain('Auth0 rate-limits reading the triggers and asks to wait 120 s, longer than the 30 s this command waits (HTTP 429).');
  expect(result.stderr).toMatch(/Fix: Run the command again after \d{4}-\d\d-\d\dT/);
  expect(api.requests).toHaveLength(1);
});

test.concurrent("a build that fails is reported with Auth0's message, and nothing is deployed or bound", async () => {
  const { result, api } = await deployAgainst({ build: { readsBeforeDone: 1, outcome: 'failed', failureMessage: 'npm ERR! 404 twilio@99.0.0 is not in this registry.' } });

  expect(result.code).toBe(1);
  expect(result.stderr).toContain('Auth0 could not build twilio-phone-message: npm ERR! 404 twilio@99.0.0 is not in this registry.');
  expect(api.tenant.actions[0]?.versions).toEqual([]);
  expect(api.tenant.boundActionNames('send-phone-message')).toEqual([]);
});

test.concurrent('a build still pending past --build-timeout fails with its status, and nothing is deployed', async () => {
  const { result, api } = await deployAgainst({ build: { outcome: 'stuck' } }, [...SEND, '--build-timeout', '1']);

  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/twilio-phone-message is still building after \d\.\d s; --build-timeout is 1 s\./);
  expect(result.stderr).toContain('run the command again (it waits for the same draft and deploys it)');
  expect(api.tenant.actions[0]?.versions).toEqual([]);
});

test.concurrent('a tenant at its action limit refuses the new action, and the fix says to delete one', async () => {
  const { result, api } = await deployAgainst({ actionLimit: 2 }, SEND, {}, (fake) => {
    fake.tenant.seedDeployedAction({ name: 'post-login-roles', trigger: 'post-login' });
    fake.tenant.seedDeployedAction({ name: 'audit-log', trigger: 'send-phone-message' });
  });

  expect(result.code).toBe(1);
  expect(result.stderr).toContain('The tenant holds as many actions as Auth0 allows, so it refused creating the action (Auth0: You have reached the maximum number of actions (2)');
  expect(result.stderr).toContain('Fix: Delete an action you no longer use');
  expect(api.tenant.actions.map((action) => action.name)).toEqual(['post-login-roles', 'audit-log']);
});

test.concurrent('npm run deploy without --trigger is a usage error: exit code 2 and the usage', async () => {
  const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    execFile('npm', ['run', '-s', 'deploy', '--', '--no-build'], { cwd: ROOT, timeout: 60_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr });
    });
  });

  expect(result.code).toBe(2);
  expect(result.stderr).toContain('--trigger is required: send-phone-message or custom-phone-provider.');
  expect(result.stderr).toContain('Usage: npm run deploy -- --trigger send-phone-message|custom-phone-provider');
});

test.concurrent('npm run deploy with a secrets file that is not there is a usage error, as for npm run check: exit code 2, the file named', async () => {
  const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    execFile('npm', ['run', '-s', 'deploy', '--', '--trigger', 'send-phone-message', '--secrets', 'nowhere.env', '--no-build'], { cwd: ROOT, timeout: 60_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr });
    });
  });

  expect(result.code).toBe(2);
  expect(result.stderr).toBe(
    'The secrets file nowhere.env does not exist: copy .env.example to nowhere.env and fill in AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET and the Twilio secrets, or pass --secrets with the file that holds them.\n',
  );
});

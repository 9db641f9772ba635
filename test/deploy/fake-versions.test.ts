import { request } from 'node:https';
import { startFakeManagementApi, type FakeManagementApi } from '../../tools/fake-management-api/server';
import { AUTH0_CODE_LIMIT_BYTES } from '../../scripts/auth0-limits';
import { ALL_SCOPES, CLIENT_ID, CLIENT_SECRET, loopbackCertificate } from './harness';

/**
 * The fake Management API keeps an action's versions as Auth0 does: each deploy makes an
 * immutable, numbered version, the one deployed flagged; they are listed newest first a page at a
 * time, read one by one, and deployed again (Auth0's roll-back), which copies one into a new
 * version; an unknown version is a 404. Asked over HTTPS, as a client asks Auth0.
 */

let api: FakeManagementApi;
let certificate: { key: string; cert: string };
let token = '';

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** One HTTPS request to the fake, its certificate trusted: the status and the JSON it answered. */
function exchange(method: string, path: string, headers: Record<string, string>, body: string | undefined): Promise<Answer> {
  const [host, port] = api.domain.split(':');
  return new Promise((resolve, reject) => {
    const outgoing = request({ host, port: Number(port), method, path, ca: certificate.cert, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** A Management API call with the token. */
function call(method: string, path: string, body?: unknown): Promise<Answer> {
  return exchange(method, path, { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body === undefined ? undefined : JSON.stringify(body));
}

beforeAll(async () => {
  certificate = await loopbackCertificate();
  api = await startFakeManagementApi({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scopes: ALL_SCOPES, certificate });
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, audience: `https://${api.domain}/api/v2/` });
  token = String((await exchange('POST', '/oauth/token', { 'content-type': 'application/x-www-form-urlencoded' }, form.toString())).body.access_token);
});

afterAll(() => api.close());

/** An action deployed `count` times, each version with its own code. */
function actionWithVersions(name: string, count: number): string {
  const id = api.tenant.seedDeployedAction({ name, trigger: 'send-phone-message', code: 'exports.onExecuteSendPhoneMessage = async () => {}; // v1' });
  for (let number = 2; number <= count; number += 1) api.tenant.seedDeployedVersion(id, `exports.onExecuteSendPhoneMessage = async () => {}; // v${number}`);
  return id;
}

const numbers = (answer: Answer): unknown[] => (answer.body.versions as Array<{ number: number }>).map((version) => version.number);

test('lists the versions newest first, 20 a page unless per_page says otherwise, with the total', async () => {
  const id = actionWithVersions('paged', 25);

  const first = await call('GET', `/api/v2/actions/actions/${id}/versions`);
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ total: 25, page: 0, per_page: 20 });
  expect(numbers(first)).toEqual(Array.from({ length: 20 }, (_, index) => 25 - index));
  expect(numbers(await call('GET', `/api/v2/actions/actions/${id}/versions?page=1`))).toEqual([5, 4, 3, 2, 1]);
  expect(numbers(await call('GET', `/api/v2/actions/actions/${id}/versions?per_page=10&page=2`))).toEqual([5, 4, 3, 2, 1]);
  expect(numbers(await call('GET', `/api/v2/actions/actions/${id}/versions?per_page=10&page=3`))).toEqual([]);
  expect((await call('GET', `/api/v2/actions/actions/${id}/versions?per_page=0`)).status).toBe(400);
});

test('each deploy makes an immutable version: its number, its deployed flag, when it was made; one deployed at a time', async () => {
  const id = actionWithVersions('flags', 2);
  const listed = (await call('GET', `/api/v2/actions/actions/${id}/versions`)).body.versions as Array<Record<string, unknown>>;
  expect(listed.map((version) => [version.number, version.deployed, version.status])).toEqual([[2, true, 'built'], [1, false, 'built']]);
  expect(listed.every((version) => typeof version.created_at === 'string' && !Number.isNaN(Date.parse(String(version.created_at))))).toBe(true);
  // Secret names and dates only, never their values.
  expect(JSON.stringify(listed)).not.toContain('"value"');

  const one = await call('GET', `/api/v2/actions/actions/${id}/versions/${String(listed[1]?.id)}`);
  expect(one).toMatchObject({ status: 200, body: { id: listed[1]?.id, number: 1, deployed: false, code: expect.stringContaining('// v1') } });
});

test('deploying an earlier version copies it into a new, deployed version (202), leaving the draft unless update_draft says so', async () => {
  const id = actionWithVersions('rolled', 2);
  const [, first] = (await call('GET', `/api/v2/actions/actions/${id}/versions`)).body.versions as Array<{ id: string }>;

  const kept = await call('POST', `/api/v2/actions/actions/${id}/versions/${String(first?.id)}/deploy`, {});
  expect(kept).toMatchObject({ status: 202, body: { number: 3, deployed: true, code: expect.stringContaining('// v1') } });
  expect(api.tenant.actions.find((action) => action.id === id)).toMatchObject({ code: expect.stringContaining('// v2'), all_changes_deployed: false });
  expect(numbers(await call('GET', `/api/v2/actions/actions/${id}/versions`))).toEqual([3, 2, 1]);

  const updated = await call('POST', `/api/v2/actions/actions/${id}/versions/${String(first?.id)}/deploy`, { update_draft: true });
  expect(updated).toMatchObject({ status: 202, body: { number: 4, deployed: true } });
  expect(api.tenant.actions.find((action) => action.id === id)).toMatchObject({ code: expect.stringContaining('// v1'), all_changes_deployed: true, status: 'built' });
  const deployed = ((await call('GET', `/api/v2/actions/actions/${id}/versions`)).body.versions as Array<{ number: number; deployed: boolean }>).filter((version) => version.deployed);
  expect(deployed.map((version) => version.number)).toEqual([4]);
});

test('an unknown version, or action, is a 404 for a read and for a deploy, and a malformed body a 400; none of them makes a version', async () => {
  const id = actionWithVersions('unknown', 1);
  const unknown = '00000000-0000-4000-8000-000000000000';
  expect(await call('GET', `/api/v2/actions/actions/${id}/versions/${unknown}`)).toEqual({ status: 404, body: { statusCode: 404, error: 'Not Found', message: 'The version does not exist.' } });
  expect(await call('POST', `/api/v2/actions/actions/${id}/versions/${unknown}/deploy`, {})).toMatchObject({ status: 404, body: { message: 'The version does not exist.' } });
  expect(await call('GET', `/api/v2/actions/actions/${unknown}/versions`)).toMatchObject({ status: 404, body: { message: 'The action does not exist.' } });
  const [only] = (await call('GET', `/api/v2/actions/actions/${id}/versions`)).body.versions as Array<{ id: string }>;
  expect(await call('POST', `/api/v2/actions/actions/${id}/versions/${String(only?.id)}/deploy`, { update_draft: 'yes' })).toMatchObject({ status: 400 });
  expect(numbers(await call('GET', `/api/v2/actions/actions/${id}/versions`))).toEqual([1]);
});

test("an action's code over Auth0's limit is refused at the create and at the update, and one at the limit is kept", async () => {
  const fits = 'x'.repeat(AUTH0_CODE_LIMIT_BYTES);
  const over = `${fits}x`;
  const trigger = [{ id: 'send-phone-message', version: 'v2' }];

  const refused = await call('POST', '/api/v2/actions/actions', { name: 'too-large', supported_triggers: trigger, code: over });
  expect(refused.status).toBe(400);
  expect(String(refused.body.message)).toContain("'code' exceeds the maximum size");

  const created = await call('POST', '/api/v2/actions/actions', { name: 'at-the-limit', supported_triggers: trigger, code: fits });
  expect(created.status).toBe(201);
  const updated = await call('PATCH', `/api/v2/actions/actions/${String(created.body.id)}`, { code: over });
  expect(updated.status).toBe(400);
  expect((await call('GET', `/api/v2/actions/actions/${String(created.body.id)}`)).body.code).toBe(fits);
});

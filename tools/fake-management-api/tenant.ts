import { randomUUID } from 'node:crypto';
import type { Management } from 'auth0';
import { AUTH0_CODE_LIMIT_BYTES } from '../../scripts/auth0-limits';

/**
 * The tenant behind the fake Management API: actions with their drafts and immutable versions,
 * trigger bindings, the phone provider and the MFA phone settings, with the rules Auth0 applies
 * to them. It holds secret values (as Auth0 does) but never returns them.
 */

/** An error the way the Management API answers one: `{ statusCode, error, message, errorCode }`. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly errorCode?: string,
  ) {
    super(message);
  }

  get error(): string {
    return HTTP_REASONS.get(this.statusCode) ?? 'Error';
  }

  body(): Record<string, unknown> {
    return { statusCode: this.statusCode, error: this.error, message: this.message, ...(this.errorCode ? { errorCode: this.errorCode } : {}) };
  }
}

const HTTP_REASONS = new Map([
  [400, 'Bad Request'],
  [401, 'Unauthorized'],
  [403, 'Forbidden'],
  [404, 'Not Found'],
  [409, 'Conflict'],
  [429, 'Too Many Requests'],
  [500, 'Internal Server Error'],
  [503, 'Service Unavailable'],
]);

/** The triggers Auth0 lists (GET /actions/triggers), with a deprecated version to skip. */
export const TRIGGERS: readonly Management.ActionTrigger[] = [
  { id: 'post-login', version: 'v2', status: 'DEPRECATED', runtimes: ['node18'], default_runtime: 'node18', binding_policy: 'trigger-bound' },
  { id: 'post-login', version: 'v3', status: 'CURRENT', runtimes: ['node18', 'node22'], default_runtime: 'node22', binding_policy: 'trigger-bound' },
  { id: 'send-phone-message', version: 'v2', status: 'CURRENT', runtimes: ['node18', 'node22'], default_runtime: 'node22', binding_policy: 'trigger-bound' },
  { id: 'custom-phone-provider', version: 'v1', status: 'CURRENT', runtimes: ['node18', 'node22'], default_runtime: 'node22', binding_policy: 'trigger-bound' },
];

/** Auth0's documented Actions limits (Actions > Limitations). */
export const MAX_DEPENDENCIES_PER_ACTION = 10;
export const MAX_SECRETS_PER_ACTION = 30;
export const MAX_BINDINGS_PER_FLOW = 20;
/** Auth0 allows one action on the custom provider triggers (custom phone provider with Terraform). */
export const SINGLE_ACTION_TRIGGERS: ReadonlySet<string> = new Set(['custom-phone-provider', 'custom-email-provider']);

/** How the fake builds a draft: it advances one step each time the action is read, never by the clock. */
export interface BuildBehaviour {
  /** Reads that still see `pending` then `building` before the build ends. Default 2. */
  readsBeforeDone: number;
  /** `built`, `failed` (with `failureMessage`), or `stuck` (never leaves `building`). Default `built`. */
  outcome: 'built' | 'failed' | 'stuck';
  failureMessage: string;
}

export const DEFAULT_BUILD: BuildBehaviour = {
  readsBeforeDone: 2,
  outcome: 'built',
  failureMessage: 'npm ERR! 404 Not Found - GET https://registry.npmjs.org/twilio - Not found',
};

interface StoredSecret {
  name: string;
  value: string;
  updated_at: string;
}

/** What a version holds of its action, as its draft held it when it was deployed. */
interface VersionContent {
  code: string;
  runtime: string;
  dependencies: Management.ActionVersionDependency[];
  secrets: StoredSecret[];
  supported_triggers: Management.ActionTrigger[];
}

interface StoredVersion extends VersionContent {
  id: string;
  number: number;
  deployed: boolean;
  created_at: string;
}

/** A copy of the content, so that a version and a draft never share a list. */
function versionContent(from: VersionContent): VersionContent {
  return {
    code: from.code,
    runtime: from.runtime,
    dependencies: structuredClone(from.dependencies),
    secrets: structuredClone(from.secrets),
    supported_triggers: structuredClone(from.supported_triggers),
  };
}

function sameContent(a: VersionContent, b: VersionContent): boolean {
  return JSON.stringify(versionContent(a)) === JSON.stringify(versionContent(b));
}

function requireVersion(action: StoredAction, versionId: string): StoredVersion {
  const version = action.versions.find((candidate) => candidate.id === versionId);
  if (!version) throw new ApiError(404, 'The version does not exist.');
  return version;
}

export interface StoredAction {
  id: string;
  name: string;
  supported_triggers: Management.ActionTrigger[];
  code: string;
  runtime: string;
  dependencies: Management.ActionVersionDependency[];
  secrets: StoredSecret[];
  status: Management.ActionBuildStatusEnum;
  readsUntilBuilt: number;
  all_changes_deployed: boolean;
  created_at: string;
  updated_at: string;
  versions: StoredVersion[];
}

interface StoredBinding {
  id: string;
  actionId: string;
  display_name: string;
  created_at: string;
}

/** What a test may seed: an action that is already deployed, as another team left it. */
export interface SeedAction {
  name: string;
  trigger: string;
  code?: string;
  secrets?: Record<string, string>;
}

export class FakeTenant {
  readonly actions: StoredAction[] = [];
  readonly bindings = new Map<string, StoredBinding[]>();
  phoneProvider: Management.PhoneProviderSchemaMasked | undefined;
  readonly guardian = {
    factors: new Map<string, boolean>([
      ['sms', false],
      ['otp', true],
      ['email', false],
    ]),
    selectedPhoneProvider: 'auth0' as Management.GuardianFactorsProviderSmsProviderEnum,
    messageTypes: ['sms'] as Management.GuardianFactorPhoneFactorMessageTypeEnum[],
  };
  /** Every payload the Actions test endpoint received, in order. */
  readonly testedPayloads: Array<{ actionId: string; payload: unknown }> = [];
  /** Binding attempts still to refuse, by action, because its fresh deploy is not visible yet. */
  private readonly unseenDeploys = new Map<string, number>();

  constructor(
    readonly build: BuildBehaviour = DEFAULT_BUILD,
    readonly actionLimit = 100,
    /**
     * Binding attempts refused after each deploy. Auth0's bindings lag behind deploys: its own
     * Deploy CLI sleeps 4 s before binding ("this service is slow to pick up newly deployed actions").
     */
    readonly bindingLag = 0,
  ) {}

  // --- actions -------------------------------------------------------------------------------

  listActions(actionName: string | undefined): Management.Action[] {
    return this.actions.filter((action) => actionName === undefined || action.name === actionName).map((action) => this.publicAction(action));
  }

  getAction(id: string): Management.GetActionResponseContent {
    const action = this.requireAction(id);
    this.advanceBuild(action);
    return this.publicAction(action);
  }

  createAction(body: Record<string, unknown>): Management.CreateActionResponseContent {
    const name = requireString(body, 'name');
    if (this.actions.length >= this.actionLimit) {
      throw new ApiError(400, `You have reached the maximum number of actions (${this.actionLimit}) for this tenant. Delete an action before creating another.`);
    }
    if (this.actions.some((action) => action.name === name)) throw new ApiError(409, `An action with the name '${name}' already exists.`);
    const now = new Date().toISOString();
    const action: StoredAction = {
      id: randomUUID(),
      name,
      supported_triggers: parseTriggers(body.supported_triggers),
      code: actionCode(body) ?? '',
      runtime: optionalString(body, 'runtime') ?? 'node22',
      dependencies: parseDependencies(body.dependencies),
      secrets: parseSecrets(body.secrets, [], now),
      status: 'pending',
      readsUntilBuilt: this.build.readsBeforeDone,
      all_changes_deployed: false,
      created_at: now,
      updated_at: now,
      versions: [],
    };
    checkRuntime(action);
    this.actions.push(action);
    return this.publicAction(action);
  }

  updateAction(id: string, body: Record<string, unknown>): Management.UpdateActionResponseContent {
    const action = this.requireAction(id);
    const now = new Date().toISOString();
    if (body.name !== undefined) action.name = requireString(body, 'name');
    if (body.supported_triggers !== undefined) action.supported_triggers = parseTriggers(body.supported_triggers);
    if (body.code !== undefined) action.code = actionCode(body) ?? '';
    if (body.runtime !== undefined) action.runtime = requireString(body, 'runtime');
    if (body.dependencies !== undefined) action.dependencies = parseDependencies(body.dependencies);
    if (body.secrets !== undefined) action.secrets = parseSecrets(body.secrets, action.secrets, now);
    checkRuntime(action);
    // Any change to the draft starts a new build and leaves the draft undeployed.
    action.status = 'pending';
    action.readsUntilBuilt = this.build.readsBeforeDone;
    action.all_changes_deployed = false;
    action.updated_at = now;
    return this.publicAction(action);
  }

  /** POST /actions/actions/{id}/deploy: a new version from the built draft, deployed in place of the one before. */
  deployAction(id: string): Management.DeployActionResponseContent {
    const action = this.requireAction(id);
    if (action.status !== 'built') throw new ApiError(400, "An action must be in the 'built' state before it can be deployed.");
    const version = this.addDeployedVersion(action, action);
    action.all_changes_deployed = true;
    return this.publicVersion(action, version);
  }

  /** GET /actions/actions/{id}/versions: every version, the newest first, as Auth0 lists them. */
  listVersions(actionId: string): Management.ActionVersion[] {
    const action = this.requireAction(actionId);
    return [...action.versions].reverse().map((version) => this.publicVersion(action, version));
  }

  /** GET /actions/actions/{actionId}/versions/{id}. */
  getVersion(actionId: string, versionId: string): Management.GetActionVersionResponseContent {
    const action = this.requireAction(actionId);
    return this.publicVersion(action, requireVersion(action, versionId));
  }

  /**
   * POST /actions/actions/{actionId}/versions/{id}/deploy, Auth0's roll-back: a new version, a
   * copy of that one, deployed in place of the one before; versions themselves never change.
   * With `update_draft` the draft becomes the copy too, as the dashboard's Revert leaves it.
   */
  deployVersion(actionId: string, versionId: string, body: Record<string, unknown>): Management.DeployActionVersionResponseContent {
    const action = this.requireAction(actionId);
    const earlier = requireVersion(action, versionId);
    if (body.update_draft !== undefined && typeof body.update_draft !== 'boolean') throw new ApiError(400, "Payload validation error: 'update_draft' must be a boolean.");
    const version = this.addDeployedVersion(action, earlier);
    if (body.update_draft === true) {
      Object.assign(action, versionContent(version), { status: 'built', readsUntilBuilt: 0, updated_at: version.created_at });
    }
    action.all_changes_deployed = sameContent(action, version);
    return this.publicVersion(action, version);
  }

  /** The only way a version comes to exist: numbered after the last, holding `content`, the one deployed. */
  private addDeployedVersion(action: StoredAction, content: VersionContent): StoredVersion {
    for (const version of action.versions) version.deployed = false;
    const version: StoredVersion = { id: randomUUID(), number: action.versions.length + 1, ...versionContent(content), deployed: true, created_at: new Date().toISOString() };
    action.versions.push(version);
    if (this.bindingLag > 0) this.unseenDeploys.set(action.id, this.bindingLag);
    return version;
  }

  testAction(id: string, payload: unknown): Management.TestActionResponseContent {
    const action = this.requireAction(id);
    if (action.status !== 'built') throw new ApiError(400, "An action must be in the 'built' state before it can be tested.");
    this.testedPayloads.push({ actionId: id, payload });
    // The fake does not run the code: it answers the way a passing run does, without output.
    return { payload: { logs: `${action.name}: tested by the fake Management API (code not run)`, stats: { total_request_duration_ms: 0 } } };
  }

  /** An action as Auth0 returns it: secret names and dates, never their values. */
  publicAction(action: StoredAction): Management.Action {
    const deployed = action.versions.find((version) => version.deployed);
    return {
      id: action.id,
      name: action.name,
      supported_triggers: structuredClone(action.supported_triggers),
      all_changes_deployed: action.all_changes_deployed,
      created_at: action.created_at,
      updated_at: action.updated_at,
      code: action.code,
      dependencies: structuredClone(action.dependencies),
      runtime: action.runtime,
      secrets: action.secrets.map(({ name, updated_at }) => ({ name, updated_at })),
      status: action.status,
      ...(deployed ? { deployed_version: this.publicVersion(action, deployed) } : {}),
      // Auth0 documents `errors` on versions; the fake gives a failed draft's errors the same way.
      ...(action.status === 'failed' ? { errors: [{ id: 'build_failed', msg: this.build.failureMessage }] } : {}),
    };
  }

  private publicVersion(action: StoredAction, version: StoredVersion): Management.ActionDeployedVersion {
    return {
      id: version.id,
      action_id: action.id,
      code: version.code,
      dependencies: structuredClone(version.dependencies),
      deployed: version.deployed,
      runtime: version.runtime,
      secrets: version.secrets.map(({ name, updated_at }) => ({ name, updated_at })),
      status: 'built',
      number: version.number,
      created_at: version.created_at,
      // A version is built once, when it is made, and never changes after.
      built_at: version.created_at,
      updated_at: version.created_at,
      supported_triggers: structuredClone(version.supported_triggers),
    };
  }

  /** Seeds a deployed action (another team's), returning its id. */
  seedDeployedAction(seed: SeedAction): string {
    const action = this.createAction({
      name: seed.name,
      supported_triggers: [{ id: seed.trigger }],
      code: seed.code ?? `exports.onExecute = async () => {}; // ${seed.name}`,
      secrets: Object.entries(seed.secrets ?? {}).map(([name, value]) => ({ name, value })),
    });
    const stored = this.requireAction(String(action.id));
    stored.status = 'built';
    this.deployAction(stored.id);
    return stored.id;
  }

  /** Seeds a new deployed version of an action with this code, as a deploy of an edited draft would leave it. */
  seedDeployedVersion(actionId: string, code: string): void {
    const action = this.requireAction(actionId);
    Object.assign(action, { code, status: 'built', readsUntilBuilt: 0 });
    this.deployAction(action.id);
  }

  private advanceBuild(action: StoredAction): void {
    if (action.status !== 'pending' && action.status !== 'building') return;
    if (this.build.outcome === 'stuck') {
      action.status = 'building';
      return;
    }
    if (action.readsUntilBuilt > 0) {
      action.status = action.readsUntilBuilt > this.build.readsBeforeDone / 2 ? 'pending' : 'building';
      action.readsUntilBuilt -= 1;
      return;
    }
    action.status = this.build.outcome;
  }

  requireAction(id: string): StoredAction {
    const action = this.actions.find((candidate) => candidate.id === id);
    if (!action) throw new ApiError(404, 'The action does not exist.');
    return action;
  }

  // --- bindings ------------------------------------------------------------------------------

  listBindings(triggerId: string): Management.ActionBinding[] {
    requireTrigger(triggerId);
    return (this.bindings.get(triggerId) ?? []).map((binding) => this.publicBinding(triggerId, binding));
  }

  /** PATCH replaces the whole list: whatever is left out is unbound. */
  updateBindings(triggerId: string, body: Record<string, unknown>): Management.ActionBinding[] {
    requireTrigger(triggerId);
    const refs = body.bindings;
    if (!Array.isArray(refs)) throw new ApiError(400, "Payload validation error: 'bindings' must be an array.");
    if (refs.length > MAX_BINDINGS_PER_FLOW) throw new ApiError(400, `A trigger may have at most ${MAX_BINDINGS_PER_FLOW} bound actions.`);
    if (SINGLE_ACTION_TRIGGERS.has(triggerId) && refs.length > 1) {
      throw new ApiError(400, `Only one action may be bound to the ${triggerId} trigger.`);
    }
    const previous = this.bindings.get(triggerId) ?? [];
    const now = new Date().toISOString();
    const next = refs.map((entry: unknown): StoredBinding => {
      const ref = isRecord(entry) && isRecord(entry.ref) ? entry.ref : undefined;
      if (!ref || typeof ref.value !== 'string') throw new ApiError(400, "Payload validation error: every binding needs 'ref.type' and 'ref.value'.");
      const action =
        ref.type === 'action_name'
          ? this.actions.find((candidate) => candidate.name === ref.value)
          : ref.type === 'action_id'
            ? this.actions.find((candidate) => candidate.id === ref.value)
            : undefined;
      if (!action) throw new ApiError(400, `Action ${String(ref.value)} does not exist.`);
      const unseen = this.unseenDeploys.get(action.id) ?? 0;
      if (unseen > 0) this.unseenDeploys.set(action.id, unseen - 1);
      if (unseen > 0 || !action.versions.some((version) => version.deployed)) throw new ApiError(400, `Action ${action.name} must be deployed before it can be bound.`);
      if (!action.supported_triggers.some((trigger) => trigger.id === triggerId)) {
        throw new ApiError(400, `Action ${action.name} does not support the ${triggerId} trigger.`);
      }
      const kept = previous.find((binding) => binding.actionId === action.id);
      const displayName = isRecord(entry) && typeof entry.display_name === 'string' ? entry.display_name : action.name;
      return { id: kept?.id ?? randomUUID(), actionId: action.id, display_name: displayName, created_at: kept?.created_at ?? now };
    });
    this.bindings.set(triggerId, next);
    return next.map((binding) => this.publicBinding(triggerId, binding));
  }

  /** Binds directly, for seeding a tenant as another team left it. */
  seedBinding(triggerId: string, actionId: string): void {
    const action = this.requireAction(actionId);
    const list = this.bindings.get(triggerId) ?? [];
    list.push({ id: randomUUID(), actionId, display_name: action.name, created_at: new Date().toISOString() });
    this.bindings.set(triggerId, list);
  }

  /** Names of the actions bound to a trigger, in execution order. */
  boundActionNames(triggerId: string): string[] {
    return (this.bindings.get(triggerId) ?? []).map((binding) => this.requireAction(binding.actionId).name);
  }

  private publicBinding(triggerId: string, binding: StoredBinding): Management.ActionBinding {
    const action = this.requireAction(binding.actionId);
    const { code: _code, secrets: _secrets, deployed_version: _deployed, ...summary } = this.publicAction(action);
    return {
      id: binding.id,
      trigger_id: triggerId as Management.ActionTriggerTypeEnum,
      display_name: binding.display_name,
      action: summary,
      created_at: binding.created_at,
      updated_at: binding.created_at,
    };
  }

  // --- phone provider ------------------------------------------------------------------------

  createPhoneProvider(body: Record<string, unknown>): Management.PhoneProviderSchemaMasked {
    if (this.phoneProvider) throw new ApiError(409, 'A phone provider is already configured for this tenant; update it instead.');
    const now = new Date().toISOString();
    this.phoneProvider = { id: `pro_${randomUUID().replaceAll('-', '').slice(0, 16)}`, tenant: 'fake-tenant', channel: 'phone', created_at: now, ...parsePhoneProvider(body, true), updated_at: now };
    return structuredClone(this.phoneProvider);
  }

  updatePhoneProvider(id: string, body: Record<string, unknown>): Management.PhoneProviderSchemaMasked {
    if (!this.phoneProvider || this.phoneProvider.id !== id) throw new ApiError(404, 'The phone provider does not exist.');
    this.phoneProvider = { ...this.phoneProvider, ...parsePhoneProvider(body, false), updated_at: new Date().toISOString() };
    return structuredClone(this.phoneProvider);
  }
}

function parsePhoneProvider(body: Record<string, unknown>, creating: boolean): Pick<Management.PhoneProviderSchemaMasked, 'name' | 'disabled' | 'configuration'> {
  const name = body.name;
  if (name !== 'twilio' && name !== 'custom') throw new ApiError(400, "Payload validation error: 'name' must be one of twilio, custom.");
  if (creating && !isRecord(body.credentials)) throw new ApiError(400, "Payload validation error: Missing required property: credentials.");
  const configuration = body.configuration;
  const methods = isRecord(configuration) ? configuration.delivery_methods : undefined;
  if (!Array.isArray(methods) || methods.length === 0 || !methods.every((method) => method === 'text' || method === 'voice')) {
    throw new ApiError(400, "Payload validation error: 'configuration.delivery_methods' must list text and/or voice.");
  }
  return { name, disabled: body.disabled === true, configuration: { delivery_methods: methods } };
}

function requireTrigger(triggerId: string): void {
  if (!TRIGGERS.some((trigger) => trigger.id === triggerId)) throw new ApiError(404, `Trigger ${triggerId} does not exist.`);
}

function parseTriggers(value: unknown): Management.ActionTrigger[] {
  if (!Array.isArray(value) || value.length !== 1) throw new ApiError(400, "Payload validation error: 'supported_triggers' must hold exactly one trigger.");
  return value.map((entry: unknown) => {
    const id = isRecord(entry) ? entry.id : undefined;
    const version = isRecord(entry) ? entry.version : undefined;
    const known = TRIGGERS.find((trigger) => trigger.id === id && (version === undefined ? trigger.status === 'CURRENT' : trigger.version === version));
    if (!known) throw new ApiError(400, `Invalid trigger ${String(id)} ${String(version ?? '')}`.trim());
    return { id: known.id, version: known.version };
  });
}

function parseDependencies(value: unknown): Management.ActionVersionDependency[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ApiError(400, "Payload validation error: 'dependencies' must be an array.");
  if (value.length > MAX_DEPENDENCIES_PER_ACTION) throw new ApiError(400, `An action may have at most ${MAX_DEPENDENCIES_PER_ACTION} dependencies.`);
  return value.map((entry: unknown) => {
    if (!isRecord(entry) || typeof entry.name !== 'string') throw new ApiError(400, "Payload validation error: every dependency needs a 'name'.");
    return { name: entry.name, version: typeof entry.version === 'string' ? entry.version : 'latest' };
  });
}

/** The list replaces the draft's secrets; a name sent without a value keeps the value it had. */
function parseSecrets(value: unknown, previous: readonly StoredSecret[], now: string): StoredSecret[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ApiError(400, "Payload validation error: 'secrets' must be an array.");
  if (value.length > MAX_SECRETS_PER_ACTION) throw new ApiError(400, `An action may have at most ${MAX_SECRETS_PER_ACTION} secrets.`);
  return value.map((entry: unknown) => {
    if (!isRecord(entry) || typeof entry.name !== 'string') throw new ApiError(400, "Payload validation error: every secret needs a 'name'.");
    const prior = previous.find((secret) => secret.name === entry.name);
    const secretValue = typeof entry.value === 'string' ? entry.value : prior?.value;
    if (secretValue === undefined) throw new ApiError(400, `Secret ${entry.name} needs a value.`);
    return { name: entry.name, value: secretValue, updated_at: secretValue === prior?.value ? prior.updated_at : now };
  });
}

function checkRuntime(action: StoredAction): void {
  const trigger = TRIGGERS.find((candidate) => candidate.id === action.supported_triggers[0]?.id && candidate.version === action.supported_triggers[0]?.version);
  if (trigger?.runtimes && !trigger.runtimes.includes(action.runtime)) {
    throw new ApiError(400, `Runtime ${action.runtime} is not supported by trigger ${trigger.id} ${trigger.version}.`);
  }
}

function requireString(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value === '') throw new ApiError(400, `Payload validation error: '${key}' must be a non-empty string.`);
  return value;
}

/** An action's code, refused over Auth0's limit on its size (the wording is the fake's: Auth0's own was not seen). */
function actionCode(body: Record<string, unknown>): string | undefined {
  const code = optionalString(body, 'code');
  if (code !== undefined && Buffer.byteLength(code) > AUTH0_CODE_LIMIT_BYTES) {
    throw new ApiError(400, `Payload validation error: 'code' exceeds the maximum size of ${AUTH0_CODE_LIMIT_BYTES} bytes.`);
  }
  return code;
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  return body[key] === undefined ? undefined : requireString(body, key);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

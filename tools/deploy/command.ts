import { runDeploy, type RunEnvironment } from './run';

/**
 * The whole command behind the entry (deploy.ts): runDeploy, plus what to do when it throws
 * something that is not a DeployError. Resolves to the exit code; never rejects.
 */
export async function deployCommand(argv: readonly string[], env: RunEnvironment): Promise<number> {
  try {
    return await runDeploy(argv, env);
  } catch (error) {
    // Not a DeployError: a bug. Print its kind and its stack frames only: the message (several
    // lines for an SDK error, which embeds the response body) could quote a request.
    env.stderr(`Deploy failed unexpectedly (${error instanceof Error ? error.name : typeof error}); this is a bug, please report it.\n`);
    const frames = error instanceof Error ? (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)) : [];
    if (frames.length > 0) env.stderr(`${frames.join('\n')}\n`);
    return 1;
  }
}

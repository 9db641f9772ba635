import { runCli as runCheck } from '../../tools/check/cli';
import { runCli as runDeploy } from '../../tools/deploy/cli';
import { installTwilioRoute, routeTwilio } from '../../tools/fake-twilio/route';

/**
 * A child process that runs the deploy command (or `npm run check`, which reads the tenant too) on request, many times, so that a test file pays
 * for one Node start and one load of the auth0 SDK instead of one per run. It is started once per
 * test file by harness.ts, with NODE_EXTRA_CA_CERTS naming the fake's certificate, and calls what
 * the launcher (scripts/run-ts.js) calls, the command's runCli, with the arguments of each
 * request and sinks that collect what a process would print. --check's twilio is the plain one
 * the command requires; Twilio's hosts are routed at the network (tools/fake-twilio/route.ts) to
 * the test's fake Twilio, whose certificate NODE_EXTRA_CA_CERTS names too. Requests come over the IPC channel,
 * may overlap (each run has its own tenant, arguments and sinks), and are answered with the exit
 * code and the output. The process ends with the channel.
 */

export interface DriverRequest {
  id: number;
  /** The command to run: `npm run deploy` unless `check` (`npm run check`, which reads the tenant too). */
  command?: 'deploy' | 'check';
  argv: string[];
  root: string;
  cwd: string;
  /** Where Twilio's hosts go: the port of the test's fake Twilio on 127.0.0.1; refused while none is given. */
  twilioPort?: number;
}

export interface DriverAnswer {
  id: number;
  code: number;
  stdout: string;
  stderr: string;
}

// No Twilio host is reached until a request names the fake.
installTwilioRoute();

process.on('message', (message: DriverRequest) => {
  if (message.twilioPort !== undefined) routeTwilio(message.twilioPort);
  let stdout = '';
  let stderr = '';
  const sinks = {
    cwd: message.cwd,
    write: (text: string) => {
      stdout += text;
    },
    writeError: (text: string) => {
      stderr += text;
    },
  };
  void (message.command === 'check' ? runCheck(message.argv, { ...sinks, colour: false }) : runDeploy(message.argv, { ...sinks, root: message.root }))
    .catch((error: unknown) => {
      // A bug, which the launcher would report by its kind: the test sees that, and exit code 1.
      stderr += `runCli threw ${error instanceof Error ? error.name : typeof error}\n`;
      return 1;
    })
    .then((code) => {
      const answer: DriverAnswer = { id: message.id, code, stdout, stderr };
      process.send?.(answer);
    });
});

process.on('disconnect', () => process.exit(0));

// The command is loaded (with the SDK): the harness may send requests.
process.send?.('ready');

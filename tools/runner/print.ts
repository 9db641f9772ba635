import type { RecordedTwilioRequest } from '../fake-twilio/server';

const STYLES = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] } as const;
export type Style = keyof typeof STYLES;

/** Colours for a terminal, plain text for a pipe or a file (and when NO_COLOR is set). */
export function painter(colour: boolean): (style: Style, text: string) => string {
  return (style, text) => (colour ? `\u001b[${STYLES[style][0]}m${text}\u001b[${STYLES[style][1]}m` : text);
}

export function formatRequests(requests: readonly RecordedTwilioRequest[], paint: ReturnType<typeof painter>): string[] {
  const lines = [paint('bold', `Twilio received ${requests.length} request${requests.length === 1 ? '' : 's'}`)];
  for (const request of requests) {
    const outcome = typeof request.outcome === 'number' ? String(request.outcome) : request.outcome;
    const outcomeStyle: Style = typeof request.outcome === 'number' && request.outcome < 300 ? 'green' : 'red';
    lines.push(`${paint('cyan', `${request.method} ${request.path}`)} -> ${paint(outcomeStyle, outcome)}`);
    lines.push(`  ${paint('dim', 'Authorization:')} ${request.authorization}`);
    for (const [field, value] of Object.entries(request.form)) {
      lines.push(`  ${paint('dim', `${field}:`)} ${value.includes('\n') ? `\n    ${value.split('\n').join('\n    ')}` : value}`);
    }
  }
  return lines;
}

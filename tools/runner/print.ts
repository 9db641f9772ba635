import type { AnswerSummary, RecordedTwilioRequest } from '../fake-twilio/server';

const STYLES = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] } as const;
export type Style = keyof typeof STYLES;

/** Colours for a terminal, plain text for a pipe or a file (and when NO_COLOR is set). */
export function painter(colour: boolean): (style: Style, text: string) => string {
  return (style, text) => (colour ? `\u001b[${STYLES[style][0]}m${text}\u001b[${STYLES[style][1]}m` : text);
}

/**
 * `status=failed error_code=63003`, `code=63007`, a Lookup's `valid=true type=mobile
 * sms_pumping_risk_score=12` or `sms_pumping_risk.error_code=60606`: the fields of Twilio's
 * answer, as its JSON names them.
 */
function answerText(answer: AnswerSummary | undefined): string {
  if (answer === undefined) return '';
  const fields: [string, string | number | boolean | undefined][] = [
    ['status', answer.status],
    ['error_code', answer.errorCode],
    ['code', answer.code],
    ['valid', answer.valid],
    ['type', answer.lineType],
    ['sms_pumping_risk_score', answer.smsPumpingRiskScore],
    ...Object.entries(answer.packageErrors ?? {}).map(([name, code]): [string, number] => [`${name}.error_code`, code]),
  ];
  return fields.flatMap(([name, value]) => (value === undefined ? [] : [` ${name}=${String(value)}`])).join('');
}

/**
 * Each request the fake received, with what it answered (the HTTP status, and the status or
 * error code of Twilio's answer, as the fake recorded them), and its form, the secret masked.
 */
export function formatRequests(requests: readonly RecordedTwilioRequest[], paint: ReturnType<typeof painter>): string[] {
  const lines = [paint('bold', `Twilio received ${requests.length} request${requests.length === 1 ? '' : 's'}`)];
  for (const request of requests) {
    const outcome = typeof request.outcome === 'number' ? String(request.outcome) : request.outcome;
    const answer = request.answer;
    const failed = typeof request.outcome !== 'number' || request.outcome >= 300 || answer?.errorCode !== undefined || answer?.packageErrors !== undefined;
    lines.push(`${paint('cyan', `${request.method} ${request.path}`)} -> ${paint(failed ? 'red' : 'green', `${outcome}${answerText(answer)}`)}`);
    lines.push(`  ${paint('dim', 'Authorization:')} ${request.authorization}`);
    for (const [field, value] of Object.entries(request.form)) {
      lines.push(`  ${paint('dim', `${field}:`)} ${value.includes('\n') ? `\n    ${value.split('\n').join('\n    ')}` : value}`);
    }
  }
  return lines;
}

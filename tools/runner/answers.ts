import { withHttpClient, type TwilioLibrary } from '../runtime/twilio-transport';

/**
 * What Twilio's answer said, as far as it matters to a reader of the run: the `status` of the
 * message, call or verification and its `error_code` (63003 when a WhatsApp message failed), or
 * Twilio's error `code` when it refused the request.
 */
export interface AnswerSummary {
  status?: string;
  errorCode?: number;
  code?: number;
}

/** The answer to one request the entry sent, in the order it sent them; undefined while, or when, none came. */
interface SentRequest {
  key: string;
  answer: AnswerSummary | undefined;
}

export interface AnswerRecorder {
  library: TwilioLibrary;
  /**
   * The summary of the answer each recorded request got, the fake's requests matched to those
   * sent by method and path in order; undefined for one whose answer is unknown, and for every
   * request of a method and path whose counts differ (the match would be a guess).
   */
  summaries(received: ReadonlyArray<{ method: string; path: string }>): Array<AnswerSummary | undefined>;
}

const requestKey = (method: string, path: string): string => `${method.toUpperCase()} ${path}`;

function summary(body: unknown): AnswerSummary | undefined {
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { status, error_code: errorCode } = parsed as { status?: unknown; error_code?: unknown };
  return typeof status === 'string' ? { status, ...(typeof errorCode === 'number' ? { errorCode } : {}) } : undefined;
}

/**
 * `library` with every answer its clients get summarized, so that the runner can show, beside
 * each request the fake received, the status it answered: what the sender's status reads saw.
 * The fake records what it was asked, not what it answered.
 */
export function recordingAnswers(library: TwilioLibrary): AnswerRecorder {
  const sent: SentRequest[] = [];
  const recorded = withHttpClient(library, (inner) => ({
    async request(options) {
      const entry: SentRequest = { key: requestKey(options.method, new URL(options.uri).pathname), answer: undefined };
      sent.push(entry);
      try {
        const response = await inner.request(options);
        entry.answer = summary((response as { body?: unknown }).body);
        return response;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (typeof code === 'number') entry.answer = { code };
        throw error;
      }
    },
  }));
  return {
    library: recorded,
    summaries(received) {
      const keys = received.map((request) => requestKey(request.method, request.path.split('?')[0] ?? ''));
      const count = (list: readonly string[], key: string): number => list.filter((item) => item === key).length;
      const sentKeys = sent.map((entry) => entry.key);
      const queues = new Map<string, SentRequest[]>();
      for (const key of new Set(keys)) {
        if (count(keys, key) === count(sentKeys, key)) queues.set(key, sent.filter((entry) => entry.key === key));
      }
      return keys.map((key) => queues.get(key)?.shift()?.answer);
    },
  };
}

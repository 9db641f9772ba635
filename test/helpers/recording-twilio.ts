import type RequestClient = require('twilio/lib/base/RequestClient');
import type Response from 'twilio/lib/http/response';
import type { TwilioLibrary } from '../../tools/runtime/twilio-transport';
import { withHttpClient } from '../../tools/runtime/twilio-transport';

export interface RecordedRequest {
  method: string | undefined;
  uri: string | undefined;
  username: string | undefined;
  password: string | undefined;
  data: Record<string, unknown>;
}

export interface CannedAnswer {
  status: number;
  body: unknown;
}

type ResponseClass = typeof Response;

/**
 * The real twilio package of one major version (`twilio-v4`, `twilio-v6`) whose HTTP client
 * records each request and answers from `respond` instead of the network: the library's own
 * parameter handling and parsing run, only the wire is replaced.
 */
export function recordingTwilio(packageName: string, respond: (request: RecordedRequest) => CannedAnswer) {
  const library = require(packageName) as TwilioLibrary;
  // twilio 4+ exports the class as `default`; twilio 3 as the module itself.
  const responseModule = require(`${packageName}/lib/http/response`) as ResponseClass & { default?: ResponseClass };
  const TwilioResponse = responseModule.default ?? responseModule;
  const requests: RecordedRequest[] = [];

  class RecordingRequestClient extends library.RequestClient {
    override async request<TData>(options: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
      const recorded: RecordedRequest = {
        method: options.method?.toLowerCase(),
        uri: options.uri,
        username: options.username,
        password: options.password,
        data: { ...(options.data as Record<string, unknown> | undefined) },
      };
      requests.push(recorded);
      const answer = respond(recorded);
      // The library parses a string body itself, as it does with what the network returns.
      return new TwilioResponse<TData>(answer.status, JSON.stringify(answer.body) as TData, {});
    }
  }

  const module = withHttpClient(library, (options) => new RecordingRequestClient(options));
  return { module, requests };
}

/** Success bodies in Twilio's shape, as far as the library reads them. */
export function createdAnswer(uri: string | undefined): CannedAnswer {
  if (uri?.includes('/Verifications')) return { status: 201, body: { sid: 'VE11111111111111111111111111111111', status: 'pending' } };
  if (uri?.includes('/Calls.json')) return { status: 201, body: { sid: 'CA11111111111111111111111111111111', status: 'queued' } };
  return { status: 201, body: { sid: 'SM11111111111111111111111111111111', status: 'queued' } };
}

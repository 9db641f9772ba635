// The package ships no types; these cover the part the local runtime uses.
declare module 'auth0-ext-compilers' {
  import type { IncomingHttpHeaders } from 'node:http';

  export interface WebtaskContext {
    body: unknown;
    secrets: Record<string, string>;
    headers: IncomingHttpHeaders;
  }
  export interface WebtaskRequest {
    method: string;
  }
  export interface WebtaskResponse {
    writeHead(statusCode: number, headers: Record<string, string>): void;
    end(body: string): void;
  }
  export type WebtaskFunction = (context: WebtaskContext, request: WebtaskRequest, response: WebtaskResponse) => void;
  export type NodejsCompiler = (script: string, callback: (error: Error | null, exported?: unknown) => void) => void;
  export type ExtensibilityPointCompiler = (
    options: { script: string; nodejsCompiler: NodejsCompiler },
    callback: (error: Error | null, webtaskFunction: WebtaskFunction) => void,
  ) => void;

  const compilers: Readonly<Record<'send-phone-message' | 'generic' | string, ExtensibilityPointCompiler>>;
  export = compilers;
}

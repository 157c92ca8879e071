/**
 * What can go wrong talking to an OpenAI-compatible server, one class per thing the user can do
 * something about. Messages are written for people: they name the server and say what to do.
 */

/** Why a server could not be reached at all (`fetch` itself failed). */
export type UnreachableReason =
  /** The browser's Local Network Access permission is denied for this page. */
  | 'blocked'
  /** Something answers, but its CORS settings do not allow this page's origin. */
  | 'refuses-origin'
  /** Nothing answers on that address (or a firewall / mixed content stops it). */
  | 'nothing-listening';

export class EndpointUnreachableError extends Error {
  override name = 'EndpointUnreachableError';
  constructor(
    readonly baseUrl: string,
    readonly reason: UnreachableReason,
    message: string,
  ) {
    super(message);
  }
}

/** 401/403: a wrong or missing API key. Not retried: the user has to give the key. */
export class EndpointAuthError extends Error {
  override name = 'EndpointAuthError';
  constructor(
    readonly baseUrl: string,
    readonly status: number,
    detail: string,
  ) {
    super(
      `The server at ${baseUrl} refused the request (${status}${detail ? `: ${detail}` : ''}): ` +
        'the API key is missing or wrong. Enter the key the server was started with and connect again.',
    );
  }
}

/** A status that retries did not cure (429, 503 or another 5xx after the bounded retries), or another 4xx. */
export class EndpointHttpError extends Error {
  override name = 'EndpointHttpError';
  constructor(
    readonly baseUrl: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The prompt does not fit the server's context. Named like the in-browser engines' error, so the
 * runner records the item as "not processed" exactly as it does for them.
 */
export class EndpointInputTooLongError extends Error {
  override name = 'ContextWindowSizeExceededError';
  constructor(baseUrl: string, detail: string) {
    super(`The request exceeds the available context of the server at ${baseUrl} (${detail}).`);
  }
}

/** The stream broke off or the server reported an error inside it. */
export class EndpointStreamError extends Error {
  override name = 'EndpointStreamError';
  constructor(baseUrl: string, detail: string) {
    super(`The server at ${baseUrl} stopped the answer midway: ${detail}`);
  }
}

/** Names of the errors above whose messages are already written for people. */
export const ENDPOINT_ERROR_NAMES = [
  'EndpointUnreachableError', 'EndpointAuthError', 'EndpointHttpError', 'EndpointStreamError',
] as const;

export function isAbort(error: unknown, signal?: AbortSignal): boolean {
  return (error as Error)?.name === 'AbortError' || signal?.aborted === true;
}

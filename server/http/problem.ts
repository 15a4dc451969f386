/** The one error shape of the API: `{code, message, requestId}` with the right HTTP status. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'Problem';
  }
}

export const badRequest = (code: string, message: string) => new Problem(400, code, message);
export const notFound = (code: string, message: string) => new Problem(404, code, message);
export const forbidden = (code: string, message: string) => new Problem(403, code, message);
export const unauthenticated = (message: string) => new Problem(401, 'unauthenticated', message);

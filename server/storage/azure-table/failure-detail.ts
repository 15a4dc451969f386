import { RestError } from '@azure/data-tables';

/** What failed, with Table Storage's answer (status and error code) where there was one: for the log, never a record. */
export function failureDetail(what: string, error: unknown): string {
  const answer =
    error instanceof RestError ? ` (Azure Table Storage answered ${error.statusCode ?? 'nothing'}${error.code ? `, ${error.code}` : ''})` : '';
  return `${what} failed${answer}`;
}

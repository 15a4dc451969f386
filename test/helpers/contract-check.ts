import { problemBody, problemStatuses } from '../../contract/errors';
import { apiRoutes, routeOf } from '../../contract/routes';

/**
 * Checks an API answer against the contract: a success against its route's answer schema, a
 * failure against the problem shape with the status of its code. Throws, naming the route and
 * the zod issues, when it does not match; paths the API does not have are left alone.
 */
export function checkAnswer(method: string, path: string, status: number, body: unknown, isJson: boolean): void {
  const route = routeOf(method, path);
  if (!route) return;
  const fail = (what: string) => {
    throw new Error(`${method} ${path} (${route}) answered ${status} not as the contract says: ${what}`);
  };
  if (status >= 400) {
    if (!isJson) return fail('a failure that is not a JSON problem');
    const problem = problemBody.safeParse(body);
    if (!problem.success) return fail(issues(problem.error.issues));
    if (problemStatuses[problem.data.code] !== status) fail(`code ${problem.data.code} goes with ${problemStatuses[problem.data.code]}`);
    return;
  }
  const answer = apiRoutes[route].answer;
  if (!answer || !isJson || status === 204) return;
  const parsed = answer.safeParse(body);
  if (!parsed.success) fail(issues(parsed.error.issues));
}

function issues(list: readonly { path: PropertyKey[]; message: string }[]): string {
  return list
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(answer)'}: ${i.message}`)
    .join('; ');
}

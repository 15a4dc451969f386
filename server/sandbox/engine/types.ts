/** What the FHIR layer asks of a storage-and-search engine, whichever release it speaks. */

/** A resource as JSON; read loosely, as a real server's index would. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the sandbox reads any field of any resource type without a schema, on purpose
export type Resource = Record<string, any> & { resourceType: string; id: string };

export type ParamKind = 'string' | 'token' | 'date' | 'reference';

/** One search parameter value list: `name[:modifier]=a,b` (the values are alternatives). */
export interface SearchFilter {
  name: string;
  modifier: string;
  values: string[];
}

export interface SortKey {
  param: string;
  descending: boolean;
}

/** A search in release-neutral form: the release's own syntax is read in `search-query.ts`. */
export interface SearchQuery {
  filters: SearchFilter[];
  sort: SortKey[];
  count: number;
  offset: number;
}

export type Operation = { kind: 'read'; type: string; id: string } | { kind: 'search'; type: string; query: SearchQuery; viaPost?: boolean };

export type OperationResult =
  { status: 200; resource: Resource } | { status: 200; matches: Resource[]; total: number } | { status: number; outcome: Record<string, unknown> };

export interface FhirEngine {
  /** Search parameters of a resource type (undefined: type not served). */
  paramsOf(type: string): Record<string, ParamKind> | undefined;
  /** Puts resources into the store, ids as given. */
  load(resources: Resource[]): Promise<void>;
  run(operation: Operation): Promise<OperationResult>;
  /** The GET entries of one batch, answered in order. */
  runBatch(operations: Operation[]): Promise<OperationResult[]>;
}

export const operationOutcome = (code: string, diagnostics: string, severity = 'error') => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity, code, diagnostics }],
});

/** A request the FHIR layer refuses before it reaches an engine. */
export class FhirRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

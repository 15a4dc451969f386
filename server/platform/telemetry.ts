import { shutdownAzureMonitor, useAzureMonitor } from '@azure/monitor-opentelemetry';
import type { HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { IncomingMessage, ServerResponse, type RequestOptions } from 'node:http';
import { routeTemplate } from './request-log.js';

/** Attributes that hold a URL or a part of one (OpenTelemetry's HTTP conventions, stable and old). */
const urlAttributes = ['url.full', 'http.url', 'url.path', 'http.target', 'url.query', 'url.original'];

/**
 * Traces to Application Insights through Azure Monitor OpenTelemetry, for the connection string
 * given (APPLICATIONINSIGHTS_CONNECTION_STRING).
 *
 * Call it before the app's modules load: the HTTP instrumentation patches `http` when Express
 * requires it (Express is CommonJS, so its `require` is hooked without the ESM loader). The
 * outgoing EHR calls go through undici's `request`, which the distro does not instrument.
 *
 * Patient ids are in the API's paths and searched names, MRNs and birth dates in its query
 * strings, so a request span is named and addressed by its route template
 * (`GET /api/teams/:teamId/patients/:patientId`), never by its URL, and a dependency span keeps
 * only the origin it called.
 */
export function startTelemetry(connectionString: string): { shutdown(): Promise<void> } {
  const http: HttpInstrumentationConfig = {
    enabled: true,
    // Dropped at the start (undefined attributes are not recorded); the template is set at the end.
    startIncomingSpanHook: () => ({ 'url.path': undefined, 'url.query': undefined }),
    startOutgoingSpanHook: (options: RequestOptions) => ({ 'url.full': originOf(options) }),
    applyCustomAttributesOnSpan: (span, request, response) => {
      if (!(request instanceof IncomingMessage) || !(response instanceof ServerResponse)) return;
      const template = routeTemplate(request);
      span.updateName(`${request.method ?? 'GET'} ${template}`);
      span.setAttributes({ 'http.route': template, 'url.path': template });
    },
  };
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString },
    instrumentationOptions: { http, azureSdk: { enabled: true } },
    // Live Metrics streams requests and failures as they happen, outside the processor below.
    enableLiveMetrics: false,
    spanProcessors: [new UrlScrubber()],
  });
  return { shutdown: () => shutdownAzureMonitor() };
}

/** Where an outgoing call went, and nothing of its path or query. */
export function originOf(options: RequestOptions): string {
  const protocol = options.protocol ?? 'http:';
  const host = options.hostname ?? options.host ?? 'localhost';
  const port = options.port && !['80', '443'].includes(String(options.port)) ? `:${options.port}` : '';
  return `${protocol}//${host}${port}`;
}

/**
 * The second line of defence, for spans made by other instrumentations (the Azure SDK's): a URL
 * attribute keeps its origin only, or the route template on a request span. Attributes cannot be
 * set once a span has ended, so the processor edits the ended span's attributes in place before
 * the batch that holds it is exported.
 */
export class UrlScrubber implements SpanProcessor {
  onStart(_span: Span, _context: Context): void {}
  onEnd(span: ReadableSpan): void {
    const attributes = span.attributes as Record<string, unknown>;
    const route = typeof attributes['http.route'] === 'string' ? attributes['http.route'] : undefined;
    for (const key of urlAttributes) {
      const value = attributes[key];
      if (value === undefined) continue;
      if (key === 'url.path' && value === route) continue;
      const origin = typeof value === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? safeOrigin(value) : undefined;
      if (origin) attributes[key] = origin;
      else delete attributes[key];
    }
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

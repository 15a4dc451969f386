import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SpanKind } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { originOf, UrlScrubber } from '../../../server/platform/telemetry';

describe('spans leave the app without paths or queries', () => {
  it('keeps only the origin of a dependency call, as the Azure SDK records it', () => {
    const exporter = new InMemorySpanExporter();
    // The scrubber first, as in the app: the exporter's processor sees the span after it.
    const provider = new BasicTracerProvider({ spanProcessors: [new UrlScrubber(), new SimpleSpanProcessor(exporter)] });
    const tracer = provider.getTracer('test');
    const call = tracer.startSpan('TableClient.listEntities', { kind: SpanKind.CLIENT });
    call.setAttributes({
      'url.full': "https://patients.table.core.windows.net/PatientsAudit()?$filter=PatientId%20eq%20'r4-patient-17'",
      'http.url': 'https://patients.table.core.windows.net/PatientsAudit(PartitionKey=%27t1%27,RowKey=%27r4-patient-17%27)',
      'url.query': 'patient=r4-patient-17',
      'http.target': '/PatientsAudit?mrn=MRN-0042',
      'az.namespace': 'Microsoft.Tables',
    });
    call.end();
    const served = tracer.startSpan('GET /api/teams/:teamId/patients/:patientId', { kind: SpanKind.SERVER });
    served.setAttributes({ 'http.route': '/api/teams/:teamId/patients/:patientId', 'url.path': '/api/teams/:teamId/patients/:patientId' });
    served.end();

    const [dependency, request] = exporter.getFinishedSpans();
    expect(dependency.attributes).toEqual({
      'url.full': 'https://patients.table.core.windows.net',
      'http.url': 'https://patients.table.core.windows.net',
      'az.namespace': 'Microsoft.Tables',
    });
    expect(request.attributes['url.path']).toBe('/api/teams/:teamId/patients/:patientId');
  });

  it('names an outgoing call by its origin only', () => {
    expect(originOf({ protocol: 'https:', hostname: 'login.microsoftonline.com', port: 443, path: '/t1/oauth2/v2.0/token?x=1' })).toBe(
      'https://login.microsoftonline.com',
    );
    expect(originOf({ protocol: 'http:', host: '127.0.0.1', port: 8080, path: '/r4/Patient?identifier=MRN-0042' })).toBe('http://127.0.0.1:8080');
  });
});

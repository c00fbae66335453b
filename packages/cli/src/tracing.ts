// OpenTelemetry for wardwatch's own processes: traces of produce → process → publish, exported the
// standard way (OTLP, configured by OTEL_* environment variables). Off unless an exporter is set.
export async function startTracing(serviceName: string, env: NodeJS.ProcessEnv): Promise<() => Promise<void>> {
  const configured = env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || (env.OTEL_TRACES_EXPORTER && env.OTEL_TRACES_EXPORTER !== 'none');
  if (!configured) return async () => {};
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const sdk = new NodeSDK({ serviceName });
  sdk.start();
  return () => sdk.shutdown();
}

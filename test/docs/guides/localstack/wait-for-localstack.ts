// jest.config.js: { globalSetup: './test/wait-for-localstack.ts' }
// Written for LocalStack, unchanged: `stepwright serve --port 4566` answers the same readiness check.
const ENDPOINT = process.env.AWS_ENDPOINT_URL ?? 'http://localhost:4566';

export default async function waitForLocalStack(): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt++) {
    try {
      const res = await fetch(`${ENDPOINT}/_localstack/health`);
      const health = (await res.json()) as { services?: Record<string, string> };
      if (['running', 'available'].includes(health.services?.stepfunctions ?? '')) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Step Functions at ${ENDPOINT} is not ready after 30 s`);
}

// Writes the list of covered integrations into docs/iam.md, from the table the IAM check uses.
// Run: node -r ts-node/register/transpile-only scripts/generate-iam-docs.ts
import { writeIntegrationList } from '../test/docs/iam-integrations';

writeIntegrationList();

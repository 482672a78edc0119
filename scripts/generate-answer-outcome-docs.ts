// Writes the table of answers AWS turns into a Task's failure into docs/testing.md, from the catalogue (src/asl/integrations.ts).
// Run: node -r ts-node/register/transpile-only scripts/generate-answer-outcome-docs.ts
import { writeAnswerOutcomes } from '../test/docs/answer-outcome-table';

writeAnswerOutcomes();

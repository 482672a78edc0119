import * as fs from 'node:fs';
import * as path from 'node:path';
import { tasksOf, type TaskAt } from './tasks';
import { checkAnswer, checkRequest, contractFindings } from '../../src/contracts';
import { extractStateMachines } from '../../src/workbench/template';
import { describeWithShared, sharedPath } from '../shared-data';

// Definitions AWS accepted and ran (the CDK's integ tests deployed theirs; the conformance cases
// were recorded on AWS) and real-world definitions: a finding on any of them is a false one.

function findings(tasks: readonly TaskAt[]): string[] {
  return tasks.flatMap((t) => checkRequest(t.resource, t.payload, { language: t.language }).map((f) => `${t.name} (${t.resource}): ${f.message}`));
}

function report(label: string, tasks: readonly TaskAt[]): void {
  process.stdout.write(`contracts: ${label}: ${tasks.length} Tasks checked\n`);
}

describeWithShared('cdk-templates', 'request contracts on the synthesized CDK templates', () => {
  const dir = sharedPath('cdk-templates');
  const tasks = fs.readdirSync(dir).filter((f) => f.endsWith('.template.json')).flatMap((file) => {
    const template = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    return extractStateMachines(template).flatMap((m) => tasksOf(m.definition).map((t) => ({ ...t, name: `${file} ${m.logicalId} ${t.name}` })));
  });

  it('finds nothing wrong in the Tasks of the 79 deployed state machines', () => {
    report('cdk-templates', tasks);
    expect(tasks.length).toBeGreaterThan(50);
    expect(findings(tasks)).toEqual([]);
  });
});

describeWithShared('validation/realworld', 'request contracts on the real-world definitions', () => {
  const dir = sharedPath('validation', 'realworld');
  const tasks = fs.readdirSync(dir).filter((f) => f.endsWith('.asl.json')).flatMap((file) => {
    let definition: unknown;
    try {
      definition = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    } catch {
      return []; // index.json names the one upstream file that is not JSON
    }
    return tasksOf(definition).map((t) => ({ ...t, name: `${file} ${t.name}` }));
  });

  const all = tasks.flatMap((t) => checkRequest(t.resource, t.payload, { language: t.language }).map((f) => ({ task: t, finding: f })));
  const show = (list: typeof all): string[] => list.map(({ task, finding }) => `${task.name} (${task.resource}): ${finding.message}`);

  // These definitions were not all deployed: some write a DynamoDB attribute value as plain text
  // (`":stat": "pick-complete"` for `{ "S": "pick-complete" }`), which DynamoDB refuses when the Task runs.
  it('finds nothing wrong in the Tasks of the real-world definitions but DynamoDB attribute values written as plain text', () => {
    report('realworld', tasks);
    expect(tasks.length).toBeGreaterThan(300);
    const attributeAsText = (f: (typeof all)[number]['finding']): boolean => f.code === 'WRONG_TYPE' && (f.expected ?? '').startsWith('structure {S, N, B,');
    process.stdout.write(`contracts: realworld: ${all.filter((f) => attributeAsText(f.finding)).length} DynamoDB attribute values written as text\n`);
    expect(show(all.filter((f) => f.finding.code !== 'UNKNOWN_FIELD' && !attributeAsText(f.finding)))).toEqual([]);
  });

  // Bedrock's evaluation jobs and knowledge bases grew members after the v2 models froze
  // (aws-sdk 2.1693.0): their shapes come from the v3 clients' schemas, so these are known.
  it('knows every member the real-world definitions write, Bedrock\'s newer than the v2 models included', () => {
    expect(show(all.filter((f) => f.finding.code === 'UNKNOWN_FIELD'))).toEqual([]);
  });
});

interface Recorded { readonly definition: unknown; readonly history?: Array<Record<string, unknown>> }

describeWithShared('conformance', 'contracts on the executions recorded on AWS', () => {
  const dir = sharedPath('conformance', 'cases');
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'INDEX.json'), 'utf8')) as { cases: Array<{ file: string }> };
  const cases = index.cases.map((c) => ({ file: c.file, data: JSON.parse(fs.readFileSync(path.join(dir, c.file), 'utf8')) as Recorded }));

  it('finds nothing wrong in the Tasks of the recorded definitions', () => {
    const tasks = cases.flatMap((c) => {
      const definition = typeof c.data.definition === 'string' ? JSON.parse(c.data.definition) : c.data.definition;
      return tasksOf(definition).map((t) => ({ ...t, name: `${c.file} ${t.name}` }));
    });
    report('conformance definitions', tasks);
    expect(tasks.length).toBeGreaterThan(100);
    expect(findings(tasks)).toEqual([]);
  });

  it('finds every answer AWS gave conforming, in STRICT', () => {
    const answers: Array<{ where: string; resource: string; output: unknown }> = [];
    for (const c of cases) {
      for (const event of c.data.history ?? []) {
        const details = event.taskSucceededEventDetails as { resourceType: string; resource: string; output: unknown } | undefined;
        if (event.type !== 'TaskSucceeded' || details === undefined) continue;
        answers.push({ where: `${c.file} event ${String(event.id)}`, resource: `arn:aws:states:::${details.resourceType}:${details.resource}`, output: details.output });
      }
    }
    process.stdout.write(`contracts: conformance answers: ${answers.length} Task results checked\n`);
    expect(answers.length).toBeGreaterThan(50);
    // The recordings replace every time AWS answered with a word (`date`, `start-date`, `stop-date`, `time`),
    // as their snapshot redaction does; a timestamp member holding one of those words held a time on AWS.
    const redacted = (f: { code: string; message: string }): boolean => f.code === 'BAD_TIMESTAMP' && /: "(?:date|start-date|stop-date|time)" is not a time/.test(f.message);
    const wrong = answers.flatMap((a) => checkAnswer(a.resource, a.output as never, 'STRICT').filter((f) => !redacted(f)).map((f) => `${a.where} (${a.resource}): ${f.message}`));
    expect(wrong).toEqual([]);
  });
});

// ERROR_NEVER_RAISED on the CDK templates and the real-world definitions: each name the check calls
// impossible there is one of these, so a longer error list that wrongly calls a real name impossible fails here.
describeWithShared('validation/realworld', 'impossible error names on the CDK templates and the real-world definitions', () => {
  const neverRaised = (definition: unknown): string[] =>
    contractFindings(definition as never).filter((f) => f.code === 'ERROR_NEVER_RAISED').map((f) => /names '([^']+)'/.exec(f.message)?.[1] ?? f.message);

  it('are only 20 misnamed DynamoDb.* errors and the placeholders ErrorA, ErrorB, ErrorC', () => {
    const names: string[] = [];
    const cdk = sharedPath('cdk-templates');
    for (const file of fs.readdirSync(cdk).filter((f) => f.endsWith('.template.json'))) {
      for (const m of extractStateMachines(JSON.parse(fs.readFileSync(path.join(cdk, file), 'utf8')))) names.push(...neverRaised(m.definition));
    }
    const realworld = sharedPath('validation', 'realworld');
    for (const file of fs.readdirSync(realworld).filter((f) => f.endsWith('.asl.json'))) {
      let definition: unknown;
      try {
        definition = JSON.parse(fs.readFileSync(path.join(realworld, file), 'utf8'));
      } catch {
        continue; // index.json names the one upstream file that is not JSON
      }
      names.push(...neverRaised(definition));
    }
    process.stdout.write(`contracts: ${names.length} ERROR_NEVER_RAISED on the CDK templates and real-world definitions\n`);
    // Optimized DynamoDB Tasks raise DynamoDB.* (the SDK for Java 1.x's names), not the AWS SDK integration's DynamoDb.*,
    // and the AWS SDK integration's name ends in Exception (DynamoDb.RequestLimitExceededException).
    const dynamoDb = names.filter((n) => /^DynamoDb\.(ProvisionedThroughputExceededException|RequestLimitExceeded|ThrottlingException)$/.test(n));
    expect(dynamoDb).toHaveLength(20);
    // IoT Analytics' bare InternalServerError is no longer judged: botocore holds no model of the retired service.
    expect(names.filter((n) => !dynamoDb.includes(n)).sort()).toEqual(['ErrorA', 'ErrorB', 'ErrorC']);
  });
});

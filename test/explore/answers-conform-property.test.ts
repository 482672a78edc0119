import * as fs from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import type { JsonValue } from '../../src/asl';
import { checkAnswer, contractOf, type StructureShape } from '../../src/contracts';
import { conformAnswer, madeUpAnswer, modelAllowsPlaced } from '../../src/explore/contract-answers';

/*
 * Every answer explore makes up for an SDK integration's Task, and every one it repairs from
 * values a Choice wants (conformAnswer), is one the service's model allows: the JSON types, the
 * enums (never null there), the timestamps (a time, never a word), the bounds. Checked over the
 * SDK integrations bench/modern-corpus's machines call, with any JSON placed in their answers'
 * fields. A field the model lacks is kept on purpose (the machine reads it, and the run says so),
 * so UNKNOWN_FIELD is left out here.
 */

const CORPUS = path.join(__dirname, '..', '..', 'bench', 'modern-corpus');
const RESOURCES = [...new Set(fs.readdirSync(CORPUS).filter((f) => f.endsWith('.ts'))
  .flatMap((f) => fs.readFileSync(path.join(CORPUS, f), 'utf8').match(/aws-sdk:[A-Za-z0-9]+:[A-Za-z0-9]+/g) ?? []))]
  .sort().map((r) => `arn:aws:states:::${r}`)
  .filter((r) => contractOf(r).output?.type === 'structure');

function refused(resource: string, answer: JsonValue): string[] {
  return checkAnswer(resource, answer, 'PRESENT').filter((f) => f.code !== 'UNKNOWN_FIELD').map((f) => f.message);
}

describe('answers explore makes for the modern corpus\'s SDK integrations', () => {
  it('reads the SDK integrations the corpus calls', () => {
    expect(RESOURCES.length).toBeGreaterThanOrEqual(10);
  });

  it('makes up an answer the model allows, for each of them', () => {
    for (const resource of RESOURCES) expect({ resource, found: checkAnswer(resource, madeUpAnswer(resource), 'STRICT') }).toEqual({ resource, found: [] });
  });

  it('repairs any value placed in an answer\'s fields into one the model allows (types, enums, timestamps, bounds)', () => {
    const withFields = RESOURCES.filter((r) => (contractOf(r).output as StructureShape).fields.length > 0);
    const answer = fc.constantFrom(...withFields).chain((resource) => {
      const fields = (contractOf(resource).output as StructureShape).fields;
      const value = fc.oneof(fc.constant(null), fc.constant('ESCALATE'), fc.constant(''), fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>);
      return fc.tuple(fc.constant(resource), fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: 4 }));
    });
    fc.assert(fc.property(answer, ([resource, placed]) => {
      const made = conformAnswer(resource, { ...(madeUpAnswer(resource) as object), ...placed } as JsonValue);
      expect({ resource, placed, found: refused(resource, made) }).toEqual({ resource, placed, found: [] });
    }), { numRuns: 300, seed: 78 });
  });

  it('refuses, through the one gate probes use, a word in a timestamp or null in an enum placed in a conforming answer', () => {
    for (const resource of RESOURCES) {
      const base = madeUpAnswer(resource);
      const shape = contractOf(resource).output as StructureShape;
      for (const field of shape.fields) {
        const member = shape.member(field)!;
        const placed = member.type === 'timestamp' ? 'ESCALATE' : member.type === 'string' && member.enum !== undefined ? null : undefined;
        if (placed === undefined) continue;
        const allowed = modelAllowsPlaced(resource, base, { ...(base as object), [field]: placed });
        expect({ resource, field, allowed }).toEqual({ resource, field, allowed: false });
      }
    }
  });
});

/*
 * The AWS::LanguageExtensions transform's Fn::ForEach, as CloudFormation documents it
 * (TemplateReference/intrinsic-function-reference-foreach.html): a loop's key stands for one copy
 * of its fragment per item, `${Id}` and `&{Id}` and `{"Ref": "Id"}` replaced by the item.
 */
import { thrown } from './thrown';
import { expandLanguageExtensions } from '../../src/cfn/language-extensions';
import { MAX_EXPANDED_VALUES } from '../../src/cfn/resolve-budget';
import type { CfnTemplate } from '../../src/cfn/resolver';
import { expandServerless } from '../../src/cfn/serverless';

const TRANSFORM = ['AWS::LanguageExtensions', 'AWS::Serverless-2016-10-31'];

function template(body: Record<string, unknown>): CfnTemplate {
  return { Transform: TRANSFORM, ...body } as CfnTemplate;
}

describe('Fn::ForEach (AWS::LanguageExtensions)', () => {
  it('makes one resource per item of a literal collection, replacing ${Id} in keys and strings and Ref Id by the item', () => {
    const out = expandLanguageExtensions(template({
      Resources: {
        'Fn::ForEach::Queues': ['Name', ['Orders', 'Refunds'], {
          'Queue${Name}': { Type: 'AWS::SQS::Queue', Properties: { QueueName: { Ref: 'Name' }, Tags: [{ Key: 'for', Value: 'q-${Name}' }] } },
        }],
        'Keep': { Type: 'AWS::SNS::Topic' },
      },
    }));
    expect(out.Resources).toEqual({
      QueueOrders: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'Orders', Tags: [{ Key: 'for', Value: 'q-Orders' }] } },
      QueueRefunds: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'Refunds', Tags: [{ Key: 'for', Value: 'q-Refunds' }] } },
      Keep: { Type: 'AWS::SNS::Topic' },
    });
  });

  it('replaces &{Id} by the item without its non-alphanumeric characters', () => {
    const out = expandLanguageExtensions(template({
      Resources: { 'Fn::ForEach::Subnets': ['Cidr', ['10.0.2.0/24'], { 'Subnet&{Cidr}': { Type: 'AWS::EC2::Subnet', Properties: { CidrBlock: '${Cidr}' } } }] },
    }));
    expect(out.Resources).toEqual({ Subnet1002024: { Type: 'AWS::EC2::Subnet', Properties: { CidrBlock: '10.0.2.0/24' } } });
  });

  it('reads the collection from a Ref to a CommaDelimitedList parameter, its Default or the value given', () => {
    const body = template({
      Parameters: { Names: { Type: 'CommaDelimitedList', Default: 'a,b' } },
      Outputs: { 'Fn::ForEach::Out': ['N', { Ref: 'Names' }, { 'Out${N}': { Value: '${N}' } }] },
    });
    expect(Object.keys((expandLanguageExtensions(body) as { Outputs: object }).Outputs)).toEqual(['Outa', 'Outb']);
    expect(Object.keys((expandLanguageExtensions(body, { parameters: { Names: 'x,y,z' } }) as { Outputs: object }).Outputs)).toEqual(['Outx', 'Outy', 'Outz']);
  });

  it('expands a loop nested in a loop, the inner fragment seeing the outer item', () => {
    const out = expandLanguageExtensions(template({
      Conditions: {
        'Fn::ForEach::Outer': ['A', ['x', 'y'], {
          'Fn::ForEach::Inner': ['B', ['1', '2'], { 'Is${A}${B}': { 'Fn::Equals': ['${A}', '${B}'] } }],
        }],
      },
    }));
    expect(Object.keys(out.Conditions ?? {})).toEqual(['Isx1', 'Isx2', 'Isy1', 'Isy2']);
    expect(out.Conditions?.Isy2).toEqual({ 'Fn::Equals': ['y', '2'] });
  });

  it('expands a loop inside a resource\'s properties', () => {
    const out = expandLanguageExtensions(template({
      Resources: {
        Table: { Type: 'AWS::DynamoDB::Table', Properties: { Spec: { 'Fn::ForEach::Attrs': ['K', ['id', 'sk'], { '${K}Type': 'S' }] } } },
      },
    }));
    expect(out.Resources?.Table.Properties).toEqual({ Spec: { idType: 'S', skType: 'S' } });
  });

  it('gives a SAM state machine made by a loop to the SAM expansion, as the transforms run in that order', () => {
    const out = expandServerless(template({
      Resources: {
        'Fn::ForEach::Flows': ['Flow', ['Orders', 'Refunds'], {
          '${Flow}Machine': { Type: 'AWS::Serverless::StateMachine', Properties: { Definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } } },
        }],
      },
    }));
    expect(out.Resources?.OrdersMachine?.Type).toBe('AWS::StepFunctions::StateMachine');
    expect(out.Resources?.RefundsMachine?.Type).toBe('AWS::StepFunctions::StateMachine');
  });

  it('reads a number or boolean item as its text and tells it, naming the item and how to quote it', () => {
    const notes: string[] = [];
    const out = expandLanguageExtensions(template({
      Outputs: { 'Fn::ForEach::Shards': ['N', [1, true, 'c'], { 'Shard${N}': { Value: '${N}' } }] },
    }), { onNote: (m) => notes.push(m) });
    expect((out as { Outputs: object }).Outputs).toEqual({ Shard1: { Value: '1' }, Shardtrue: { Value: 'true' }, Shardc: { Value: 'c' } });
    expect(notes).toEqual([
      expect.stringMatching(/^Outputs\.Fn::ForEach::Shards\[1\]\[0\]: the loop's Collection holds the number 1, which this run reads as the text '1'; /),
      expect.stringMatching(/^Outputs\.Fn::ForEach::Shards\[1\]\[1\]: the loop's Collection holds the boolean true, .*quote the item as the text you mean \('true' in YAML, "true" in JSON\)/),
    ]);
  });

  it('tells the first 10 number or boolean items one by one and counts the rest in one more note', () => {
    const notes: string[] = [];
    const items = Array.from({ length: 3_000 }, (_, i) => i);
    expandLanguageExtensions(template({ Conditions: { 'Fn::ForEach::C': ['N', items, { 'C${N}': { 'Fn::Equals': ['a', 'b'] } }] } }), { onNote: (m) => notes.push(m) });
    expect(notes).toHaveLength(11);
    expect(notes[9]).toMatch(/^Conditions\.Fn::ForEach::C\[1\]\[9\]: the loop's Collection holds the number 9, /);
    expect(notes[10]).toBe('2,990 more number or boolean items of the template\'s loops\' Collections are read as their text the same way: '
      + 'quote each as the text you mean');
  });

  it('tells each sink a template\'s notes once, however many readers expand it, and a template of strings none', () => {
    const given = template({ Outputs: { 'Fn::ForEach::Shards': ['N', [7], { 'Shard${N}': { Value: '${N}' } }] } });
    const first: string[] = [];
    const second: string[] = [];
    const sink = (m: string): number => first.push(m);
    expandLanguageExtensions(given, { onNote: sink });
    expandLanguageExtensions(given, { onNote: sink });
    expandServerless(given, { onNote: (m) => second.push(m) });
    expect([first.length, second.length]).toEqual([1, 1]);
    const none: string[] = [];
    expandLanguageExtensions(template({ Outputs: { 'Fn::ForEach::S': ['N', ['7'], { 'S${N}': { Value: '${N}' } }] } }), { onNote: (m) => none.push(m) });
    expect(none).toEqual([]);
  });

  it('returns a template without loops as it is', () => {
    const given = template({ Resources: { A: { Type: 'AWS::SNS::Topic' } } });
    expect(expandLanguageExtensions(given)).toBe(given);
  });

  it('refuses Fn::ForEach in a template without the AWS::LanguageExtensions transform, naming the transform to add', () => {
    const e = thrown(() => expandLanguageExtensions({ Resources: { 'Fn::ForEach::Q': ['N', ['a'], { 'Q${N}': { Type: 'AWS::SQS::Queue' } }] } } as unknown as CfnTemplate));
    expect(e.code).toBe('INVALID_INTRINSIC');
    expect(e.message).toMatch(/Fn::ForEach.*AWS::LanguageExtensions.*Transform/);
  });

  it('refuses a loop whose OutputKey lacks the identifier, as every item would make the same key', () => {
    const e = thrown(() => expandLanguageExtensions(template({ Resources: { 'Fn::ForEach::Q': ['N', ['a', 'b'], { Queue: { Type: 'AWS::SQS::Queue' } }] } })));
    expect(e.location).toBe('Resources.Fn::ForEach::Q[2]');
    expect(e.message).toMatch(/OutputKey 'Queue' holds neither \$\{N\} nor &\{N\}.*'Queue\$\{N\}'/);
  });

  it('refuses an OutputKey without the identifier in a loop of one item too, as CloudFormation requires it of every OutputKey', () => {
    const e = thrown(() => expandLanguageExtensions(template({ Resources: { 'Fn::ForEach::Q': ['N', ['a'], { Queue: { Type: 'AWS::SQS::Queue' } }] } })));
    expect(e.code).toBe('INVALID_INTRINSIC');
    expect(e.message).toContain("Resources.Fn::ForEach::Q[2]: the loop's OutputKey 'Queue' holds neither ${N} nor &{N}");
  });

  it('refuses two loops of the same name, as a loop\'s name must be unique within the template', () => {
    const e = thrown(() => expandLanguageExtensions(template({
      Resources: { 'Fn::ForEach::Q': ['N', ['a'], { 'Q${N}': { Type: 'AWS::SQS::Queue' } }] },
      Outputs: { 'Fn::ForEach::Q': ['N', ['a'], { 'Out${N}': { Value: '${N}' } }] },
    })));
    expect(e.code).toBe('INVALID_INTRINSIC');
    expect(e.message).toMatch(/the loop's name 'Q' is also the name of the loop at (Resources|Outputs)\.Fn::ForEach::Q.*unique within the template/);
  });

  it('refuses a loop named as a resource, and takes a nested loop written once however many copies its outer loop makes', () => {
    const e = thrown(() => expandLanguageExtensions(template({
      Resources: { 'Queues': { Type: 'AWS::SNS::Topic' }, 'Fn::ForEach::Queues': ['N', ['a'], { 'Q${N}': { Type: 'AWS::SQS::Queue' } }] },
    })));
    expect(e.location).toBe('Resources.Fn::ForEach::Queues');
    expect(e.message).toContain("the loop's name 'Queues' is also the logical id of a resource");
    const out = expandLanguageExtensions(template({
      Resources: { 'Fn::ForEach::Outer': ['A', ['x', 'y'], { 'Fn::ForEach::Inner': ['B', ['1'], { 'R${A}${B}': { Type: 'AWS::SNS::Topic' } }] }] },
    }));
    expect(Object.keys(out.Resources ?? {})).toEqual(['Rx1', 'Ry1']);
  });

  it('refuses a loop in a section CloudFormation takes none in (Mappings, Metadata, Parameters), naming the section', () => {
    for (const section of ['Mappings', 'Metadata', 'Parameters']) {
      const e = thrown(() => expandLanguageExtensions(template({ [section]: { 'Fn::ForEach::M': ['N', ['a'], { 'M${N}': { K: '${N}' } }] } })));
      expect(e.location).toBe(section);
      expect(e.message).toContain(`Fn::ForEach stands in the template's ${section}, where CloudFormation refuses it`);
    }
  });

  it('refuses a collection that is not a list, naming the loop and the value', () => {
    const e = thrown(() => expandLanguageExtensions(template({ Resources: { 'Fn::ForEach::Q': ['N', 'a,b', { 'Q${N}': {} }] } })));
    expect(e.location).toBe('Resources.Fn::ForEach::Q[1]');
    expect(e.message).toContain('must be a list, or a Ref to a CommaDelimitedList parameter, got "a,b"');
  });

  it('refuses a loop that is not [Identifier, Collection, {OutputKey: OutputValue}]', () => {
    expect(thrown(() => expandLanguageExtensions(template({ Resources: { 'Fn::ForEach::Q': ['N', ['a']] } }))).message)
      .toContain('Fn::ForEach takes [Identifier, Collection, {OutputKey: OutputValue}], got ["N",["a"]]');
    expect(thrown(() => expandLanguageExtensions(template({ Resources: { 'Fn::ForEach::Q': ['N', ['a'], ['x']] } }))).location)
      .toBe('Resources.Fn::ForEach::Q[2]');
  });

  it(`stops loops past ${MAX_EXPANDED_VALUES.toLocaleString('en-US')} values, more than a deployable template holds`, () => {
    // 1,100 copies of a 1,000-value list: 1.1 million values from a template of a few kilobytes.
    const items = Array.from({ length: 1_100 }, (_, i) => `i${i}`);
    const e = thrown(() => expandLanguageExtensions(template({
      Resources: { 'Fn::ForEach::A': ['A', items, { 'R${A}': { Type: 'AWS::SNS::Topic', Properties: { List: new Array(1_000).fill(0) } } }] },
    })));
    expect(e.message).toMatch(/Fn::ForEach loops make more than 1,048,576 values/);
  });

  it('counts the text an item makes before making it: a key of many ${Id} and a long item are refused, not built', () => {
    // 2,000 placeholders in 8 KB, each made 1,000 characters long: one 2 MB string from one item.
    const e = thrown(() => expandLanguageExtensions(template({
      Resources: { 'Fn::ForEach::A': ['N', ['x'.repeat(1_000)], { 'R${N}': { Type: 'AWS::SNS::Topic', Properties: { Name: '${N}'.repeat(2_000) } } }] },
    })));
    expect(e.location).toBe('Resources.Fn::ForEach::A[2]');
    expect(e.message).toMatch(/Fn::ForEach loops make more than 1,048,576 values and characters of text/);
  });

  it('replaces each placeholder once, left to right: an item that holds &{Id} is not read again', () => {
    const out = expandLanguageExtensions(template({
      Resources: { 'Fn::ForEach::A': ['N', ['a&{N}'], { 'R&{N}': { Type: 'AWS::SNS::Topic', Properties: { Name: '${N}-&{N}-$${N}-{N}' } } }] },
    }));
    expect(out.Resources).toEqual({ RaN: { Type: 'AWS::SNS::Topic', Properties: { Name: 'a&{N}-aN-$a&{N}-{N}' } } });
  });

  it('refuses a loop whose fragment nests past the JSON depth by name, never a RangeError', () => {
    const deep = JSON.parse(`${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`) as unknown;
    const e = thrown(() => expandLanguageExtensions(template({
      Resources: { 'Fn::ForEach::A': ['A', ['x'], { 'R${A}': { Type: 'AWS::SNS::Topic', Properties: { Deep: deep } } }] },
    })));
    expect(e.message).toMatch(/Resources\.Fn::ForEach::A\[2\].*deeper than 1,000 levels/);
    const beside = thrown(() => expandLanguageExtensions(template({
      Resources: { 'Fn::ForEach::A': ['A', ['x'], { 'R${A}': { Type: 'AWS::SNS::Topic' } }], 'Deep': deep },
    })));
    expect(beside.message).toMatch(/Resources\.Deep\.a\.a.*deeper than 1,000 levels/);
  });

  it('looks for loops once per object of a template that shares one object from many places, or holds itself', () => {
    let shared: unknown = { Type: 'AWS::SNS::Topic' };
    for (let i = 0; i < 60; i++) shared = { a: shared, b: shared };
    const selfHolding: Record<string, unknown> = { Type: 'AWS::SNS::Topic' };
    selfHolding.Properties = selfHolding;
    for (const resource of [shared, selfHolding]) {
      const given = template({ Resources: { R: resource } });
      // No loop: the template itself, after one look at each object.
      expect(expandLanguageExtensions(given)).toBe(given);
    }
  });
});

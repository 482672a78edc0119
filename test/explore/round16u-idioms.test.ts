import {
  auditWriteCatchCopied, batchLookupJsonPath, batchLookupJsonata, batchLookupOptional, exportKindFixed, memberTierAssign, readingKindGate,
  ticketStatusRecheck, ticketStatusRecheckJsonPath,
} from '../../bench/modern-corpus/round16u';
import { stopExploreClock } from '../explore-clock';
import { exploredComplete, provedReasons } from './modern-machines';

/*
 * Issue 77, "unreachability proved, or not claimed" (bench/modern-corpus/round16u.ts): the new
 * user's DynamoDB lookups, whose `Missing` an absent Item closes by failing `Load` (JSONPath: a
 * ResultSelector path that finds nothing is States.Runtime,
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html; JSONata: a
 * field that "returned nothing (undefined)" is States.QueryEvaluationError, as the recording
 * ../shared/conformance/cases/states_variables/TestStateVariablesTemplate_test_map_catch_error~MAP_CATCH_ERROR_OUTPUT_WITH_RETRY~_get_execution_history--bcedff97.json
 * shows), the same lookup that goes on without an Item, reached, and states closed by data alone.
 * Each machine is complete, its proofs name where each answer shape ends, and every scenario
 * replays as reported (no reason contradicts a run explore made).
 */

stopExploreClock();

describe('explore completes the new user\'s lookups: Missing proved where an absent Item fails Load, reached where it does not', () => {
  it('BatchLookupJsonPath: an absent Item fails Load with States.Runtime, a present one takes Found', async () => {
    const report = await exploredComplete(batchLookupJsonPath);
    const p = provedReasons(report);
    expect([...p.keys()]).toEqual(['Missing']);
    expect(p.get('Missing')).toContain("'Load' answers .Item absent: 'Load' fails with States.Runtime, as a run shows");
    expect(p.get('Missing')).toContain("'Load' answers .Item present");
    expect(p.get('Missing')).not.toContain('did not take it');
  });

  it('BatchLookupJsonata: an Assign of an absent Item fails Load with States.QueryEvaluationError', async () => {
    const p = provedReasons(await exploredComplete(batchLookupJsonata));
    expect([...p.keys()]).toEqual(['Missing']);
    expect(p.get('Missing')).toContain("'Load' answers .Item absent: 'Load' fails with States.QueryEvaluationError, as a run shows");
    expect(p.get('Missing')).toContain('with $batch there (never null), Choices[0] ({% $not($exists($batch)) %}) is false');
  });

  it('BatchLookupOptional: an Output constructor leaves an absent Item out, so Missing is reached, and by the Catch too', async () => {
    const report = await exploredComplete(batchLookupOptional);
    expect(report.states.unreachable).toEqual([]);
    expect(report.catches.unreachable).toEqual([]);
    const missing = report.scenarios.filter((s) => s.path.includes('Missing'));
    expect(missing.length).toBeGreaterThan(0);
  });
});

describe('explore proves the states data alone closes in round16u, and no others', () => {
  it('TicketStatusRecheck: the second OPEN rule sits behind the Default of the first', async () => {
    const p = provedReasons(await exploredComplete(ticketStatusRecheck));
    expect([...p.keys()]).toEqual(['Reopen ticket']);
    expect(p.get('Reopen ticket')).toContain('once Open?#default is taken');
  });

  it('TicketStatusRecheckJsonPath: the same with StringEquals on a Lambda\'s answer', async () => {
    const p = provedReasons(await exploredComplete(ticketStatusRecheckJsonPath));
    expect([...p.keys()]).toEqual(['Reopen ticket']);
    expect(p.get('Reopen ticket')).toContain('once Open?#default is taken');
  });

  it('ReadingKindGate: a reading given as text was refused by the $type check before', async () => {
    const p = provedReasons(await exploredComplete(readingKindGate));
    expect([...p.keys()]).toEqual(['Parse text reading']);
    expect(p.get('Parse text reading')).toContain('once Numeric reading?#default is taken');
  });

  it('MemberTierAssign: only gold or silver is ever assigned', async () => {
    const p = provedReasons(await exploredComplete(memberTierAssign));
    expect([...p.keys()]).toEqual(['Starter offer']);
    expect(p.get('Starter offer')).toContain('$tier: "gold" or "silver"');
  });

  it('ExportKindFixed: the ResultSelector fixes the kind to batch', async () => {
    const p = provedReasons(await exploredComplete(exportKindFixed));
    expect([...p.keys()]).toEqual(['Send one row']);
    expect(p.get('Send one row')).toContain('{"Variable":"$.export.kind","StringEquals":"single"}) is always false');
  });

  it('AuditWriteCatchCopied: DynamoDB never raises the Lambda error the Catch names', async () => {
    const p = provedReasons(await exploredComplete(auditWriteCatchCopied));
    expect([...p.keys()]).toEqual(['Back off']);
    expect(p.get('Back off')).toContain('never raises Lambda.TooManyRequestsException');
  });
});

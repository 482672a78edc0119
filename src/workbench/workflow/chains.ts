/*
 * The bound every door puts on executions that start each other. AWS refuses a start past its quota
 * of open executions ("Maximum open executions per account", 1,000,000 by default, Step Functions
 * service quotas) with ExecutionLimitExceeded, and bounds no chain of executions each started by a
 * Task of the one before: a machine that starts itself runs on as its quotas let it. stepwright holds
 * every execution of a run in one process (a STANDARD one's history, clock and run, about 20 KB for
 * the smallest), so serve, the jest harness, `stepwright run` and MCP's run tool end such a chain,
 * and a tree of executions that start several each, at a bound of their own far below AWS's, with
 * the same error as the quota: the Task that would start one more fails with
 * StepFunctions.ExecutionLimitExceededException, which Retry and Catch see. A door raises the bound
 * with its option (serve's and `stepwright run`'s `--open-executions`, the harness's and MCP's
 * `openExecutionLimit`). AWS's words for the refusal are not recorded. serve loads this module at its
 * start: it holds the words and the number alone (the harness counts a run's executions in
 * run-executions.ts).
 */
import { AwsLimits } from '../../asl/limits';
import type { MockDoor } from '../mocks';

/**
 * How many STANDARD executions may be open (RUNNING) at once, and how many executions a chain of
 * executions each started by a Task of the one before may hold, unless the door is given another
 * bound.
 * @internal
 */
export const OPEN_EXECUTIONS_BOUND = 5_000;

/** The option that raises the bound, in the words of each door. */
const OPTION: Readonly<Record<MockDoor, string>> = {
  'jest': 'the run option openExecutionLimit',
  'cli': '--open-executions <n>',
  'serve': '--open-executions <n>',
  'mcp': 'the run tool\'s openExecutionLimit',
  'test-state': 'the run option openExecutionLimit',
};

/** Whose bound it is, in a message: serve's, or a run's of the other doors. */
const OWNER = (door: MockDoor): string => door === 'serve' ? 'serve\'s own' : 'stepwright\'s own for a run';

/**
 * The cause of the refusal of one more open execution when `open` are: "Execution Limit Exceeded",
 * the error's name as the API reference gives it, then what is open where, the quota, and (for the
 * door's own bound) the option that raises it.
 * @param where who may have no more ("this account may have in us-east-1", "one run may have")
 * @internal
 */
export function openExecutionsRefusal(open: number, where: string, door: MockDoor, given: boolean): string {
  const own = given ? '' : ` (${OWNER(door)} bound, below AWS's quota of ${AwsLimits.OPEN_EXECUTIONS}: raise it with ${OPTION[door]})`;
  return `Execution Limit Exceeded: ${open} executions are open, the most ${where} `
    + `(Step Functions quota "Maximum open executions per account")${own}; running executions must end or be stopped before a new execution can be started`;
}

/**
 * The cause of the refusal of one more EXPRESS execution when `running` are. AWS counts no Express
 * execution among the open ones ("Maximum open executions per account": "does not apply to
 * Express workflows", Step Functions service quotas) and bounds their starts only by
 * StartExecution's rate, which a virtual clock never reaches: an EXPRESS machine whose Tasks start
 * it twice (a Parallel, a Map) would double its executions at each step of its chain. stepwright
 * bounds them as it bounds open STANDARD ones, stricter than AWS, with the same number and option.
 * @param where who may have no more ("one run may have")
 * @internal
 */
export function runningExpressRefusal(running: number, where: string, door: MockDoor, given: boolean): string {
  const own = given ? '' : ` (${OWNER(door)} bound; AWS counts no Express execution among open ones and bounds their starts by StartExecution's rate alone: raise it with ${OPTION[door]})`;
  return `Execution Limit Exceeded: ${running} EXPRESS executions are running, the most ${where}${own}; `
    + 'running executions must end before a new execution can be started';
}

/**
 * The cause of the refusal of a start by a Task of `parentArn` when it ends a chain of `bound`
 * executions, each started by a Task of the one before.
 * @internal
 */
export function chainRefusal(bound: number, parentArn: string, door: MockDoor, given: boolean): string {
  const who = door === 'serve' ? 'stepwright serve runs' : 'a stepwright run holds';
  const own = given ? '' : `, ${OWNER(door)} below AWS's quota of ${AwsLimits.OPEN_EXECUTIONS}`;
  return `Execution Limit Exceeded: a chain of ${bound} executions, each started by a Task of the one before, `
    + `is the longest ${who} (its bound of open executions${own}; AWS bounds no chain): raise it with ${OPTION[door]}, `
    + `or end the chain (execution '${parentArn}' starts the next)`;
}

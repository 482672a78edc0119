import type { ParallelState } from '../../asl';
import { addSideEvent, errorOfFailure, type CompiledState } from '../engine';
import { compileFinish, compileJsonPathIO, scopeOf } from '../io';
import { checkBranchInput, parallelBranches, runBranches } from './branches';
import { checkedCollectedResult } from './collected-result';
import { baseState, nextOf, type CompileContext } from './common';

/**
 * Parallel: runs every branch on the same input; the output is the array of
 * branch outputs in branch order. The first branch failure stops the others
 * and fails the state with that branch's error.
 * @internal
 */
export function compileParallel(name: string, def: ParallelState, ctx: CompileContext): CompiledState {
  const io = compileJsonPathIO(def);
  const next = nextOf(def);
  const branches = def.Branches.map((b, i) => ctx.compileSubMachine(b, `${ctx.location}/Branches/${i}`));
  const finish = compileFinish(io, def, next);
  return baseState(name, def, ctx, async (input, call) => {
    const effective = io.inputPath ? io.inputPath(input, call) : input;
    const branchInput = io.parameters ? io.parameters(scopeOf(effective, call)) : effective;
    if (io.parameters) checkBranchInput(name, branchInput, call);
    call.event('ParallelStateStarted');
    const outcome = await runBranches(call, parallelBranches(branches, branchInput));
    if (!outcome.ok) {
      throw errorOfFailure(outcome.failure);
    }
    addSideEvent(call.frame, 'ParallelStateSucceeded');
    return checkedCollectedResult(call, 'Parallel', outcome.outputs, finish(input, outcome.outputs, call));
  });
}

export { exploreMachine, EXPLORE_MAX_STATES, MAX_RUNS } from './engine';
export type { EngineOptions } from './engine';
export { exploreGoals, GOAL_CATEGORIES } from './goals';
export type { GoalCategory, GoalSet } from './goals';
export type { Outcome, ScenarioRunner, TaskCallInfo } from './runner';
export { ITEM_NAMES } from './report-types';
export type {
  ExploreOptions, ExploreReport, ExploreScenario, ExploreFinding, ExploreFindingKind, ExploreSearch, CategoryReport, GoalNote, GoalKeys,
  ExploreProof, AnswerShape, ShapedValue, FlowEnd, GoalRef,
} from './report-types';
/** @internal */
export { exploreClock, isPositive, positiveRule } from './context';
/** @internal */
export type { ExecutionTrace } from './trace';
export { verifyMachine } from './verify';
export type { Verdict, Counterexample, Minimization, PropertyVerdict, VerifyBounds, VerifyProgress, VerifyReport, VerifyOptions } from './verify';
export { Property, PropertyError } from './properties';
/** @internal */
export { PredicateStoppedError, standInFor } from './properties';
export type {
  VerifyProperty, PathProperty, RunProperty, RunPredicate, NeverProperty, LeadsToProperty, PrecedesProperty, AtMostProperty,
  EndsWithProperty, MaxTransitionsProperty, MaxSecondsProperty,
} from './properties';

import type * as sdk from '@aws-sdk/client-sfn';
import type { ExecutionClock } from './clock';
import type { EncryptionConfiguration } from './configurations';
import type { Segment } from './execution-history';
import type { StateMachineDefinition } from '../asl';
import type { MachineType } from '../asl/aws-defaults';
import type { CompletedChildren, ExecutionStatus, Execution } from '../interpreter';
import type { MapRunCounts } from '../interpreter/execution-types';
import type { MockedResponseSequence } from '../workbench/mocks';
import type { WorkflowEngine } from '../workbench/workflow';

/** Logging settings, kept and echoed as given (the members the model declares). @internal */
export type LoggingConfiguration = sdk.LoggingConfiguration;

/** One revision of a state machine: what an update changes, what a version freezes. @internal */
export interface Revision {
  readonly definition: string;
  readonly parsed: StateMachineDefinition;
  readonly roleArn: string;
  readonly logging: LoggingConfiguration;
  readonly tracing: { readonly enabled?: boolean };
  /** The `encryptionConfiguration` it was created or last updated with, shown as given; none when never given. */
  readonly encryption?: EncryptionConfiguration;
  readonly revisionId: string;
  readonly updateDate: number;
  /**
   * The revision the state machine was created with. AWS shows no revisionId for it: one
   * appears in DescribeStateMachine and UpdateStateMachine's answer only after an update changed
   * something (recorded 2023-25). It is kept here, for publishing and the journal.
   */
  readonly initial?: boolean;
  /** Compiled on first use, shared by every execution of this revision. */
  engine?: WorkflowEngine;
}

/** @internal */
export interface VersionRecord {
  readonly arn: string;
  readonly number: number;
  readonly revision: Revision;
  readonly description?: string;
  readonly creationDate: number;
}

/** One route of an alias. @internal */
export interface Route {
  readonly stateMachineVersionArn: string;
  readonly weight: number;
}

/** @internal */
export interface AliasRecord {
  readonly arn: string;
  readonly name: string;
  description?: string;
  routing: Route[];
  readonly creationDate: number;
  updateDate?: number;
}

/** @internal */
export interface MachineRecord {
  readonly arn: string;
  readonly name: string;
  readonly type: MachineType;
  readonly creationDate: number;
  description?: string;
  current: Revision;
  readonly versions: Map<number, VersionRecord>;
  nextVersion: number;
  readonly aliases: Map<string, AliasRecord>;
  readonly tags: Map<string, string>;
  /**
   * What the CreateStateMachine that made it asked to publish, part of the request's idempotency
   * check with its name, definition, type, logging, tracing and encryption (CreateStateMachine,
   * API reference: "The check is also based on the publish and versionDescription parameters").
   */
  readonly created?: { readonly publish: boolean; readonly versionDescription?: string };
  /**
   * Set by DeleteStateMachine while STANDARD executions of it run: DescribeStateMachine shows
   * `status: DELETING` and the operations that declare StateMachineDeleting refuse it, until the
   * last of them ends and the state machine is gone (DeleteStateMachine, API reference).
   */
  deleting?: boolean;
}

/** @internal */
export interface ActivityRecord {
  readonly arn: string;
  readonly name: string;
  readonly creationDate: number;
  readonly tags: Map<string, string>;
  /** As CreateActivity gave it (the server encrypts nothing), or AWS's default. */
  readonly encryption: EncryptionConfiguration;
}

/**
 * One execution. Its history is a list of segments: the first run, then one
 * per redrive (a live interpreter execution, or the events restored from the journal).
 * @internal
 */
export interface ExecutionRecord {
  readonly arn: string;
  readonly name: string;
  readonly machine: MachineRecord;
  readonly versionArn?: string;
  readonly aliasArn?: string;
  readonly revision: Revision;
  readonly input: string;
  readonly seed: number;
  readonly startDate: number;
  readonly express: boolean;
  /**
   * Started by StartSyncExecution: an EXPRESS execution AWS runs at most once, never started
   * over by at-least-once delivery (ServerOptions.delivery).
   */
  readonly sync?: boolean;
  readonly testCase?: string;
  readonly mocks?: Map<string, MockedResponseSequence>;
  /** The version of the MockConfigFile its test case was read from (it keeps that version when the file changes). */
  readonly mockConfigVersion?: string;
  readonly invocations: Map<string, number>;
  /** Calls of Tasks made so far, by what names a call in the journal (see TaskRouter): how many of each. */
  readonly calls: Map<string, number>;
  readonly clock: ExecutionClock;
  status: ExecutionStatus;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  redriveCount: number;
  redriveDate?: number;
  /**
   * When the last run ended in a top-level Map or Parallel: the iterations or
   * branches of it that succeeded, which a redrive keeps instead of running again.
   */
  completedChildren?: CompletedChildren;
  readonly segments: Segment[];
  /** Resolves when the current run closes. */
  done: Promise<void>;
  /** A child execution of a Map Run: what it belongs to (it runs inside its parent's run; its closing is journaled when its Map Run keeps it). */
  readonly mapRun?: MapRunChild;
  /**
   * What each Map Run of the execution (its children's too) counted when it last closed, read back
   * from the journal: DescribeMapRun's counts for a run that is no longer live.
   */
  restoredMapRuns?: ReadonlyMap<string, Readonly<MapRunCounts>>;
  /**
   * Started by a `states:startExecution` Task of execution `parent` (a nested execution), in the
   * call `call` names: a run of the parent again after a restart finds it there, not a new one.
   */
  readonly startedBy?: { readonly parent: string; readonly call: string };
  /**
   * How many executions come before it in its chain, each started by a Task of the one before
   * (`startedBy`; a Distributed Map's children start in their parent's name): absent for one a
   * request started. Bounded by StepFunctionsService.checkChain.
   */
  readonly chain?: number;
  /** A child execution's run, live: stops it alone (StopExecution on its ARN). */
  stopChild?: (error: string | undefined, cause: string | undefined) => void;
}

/** What a child execution of a Map Run belongs to. @internal */
export interface MapRunChild {
  readonly mapRunArn: string;
  /** `…:stateMachine:<machine>/<label>`: the state machine the Map Run's children run. */
  readonly stateMachineArn: string;
  /** The execution whose Map state started it (itself a child, for a Map Run inside a child). */
  readonly parent: ExecutionRecord;
  /** The items it processed: its batch's, or 1 (ListExecutions' itemCount). */
  readonly itemCount: number;
  /** Its child workflow type, the Map's ProcessorConfig.ExecutionType. */
  readonly type: MachineType;
  /** The Map state that started it (its ItemProcessor is the child's state machine). */
  readonly state: string;
  /** Its place among its Map Run's children, in the order they started: set when its Map Run lists it. */
  seq: number;
}

/** A task token handed out, and the execution that waits for it. @internal */
export interface TokenRecord {
  readonly record: ExecutionRecord;
  readonly execution: Execution;
  /** The child execution of a Map Run whose Task holds the token, when it is one (`record` is then the execution the user started). */
  readonly child?: string;
}

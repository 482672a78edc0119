import { EXPRESS_MAX_TRANSITIONS, type CompileOptions, type ExecutionLimits } from './execution-types';
import type { RuntimeLimits, TaskHandlerTable } from './runtime';
import { AwsDefaults, awsArn, statesArn } from '../asl/aws-defaults';
import { AwsLimits } from '../asl/limits';

/** The limits of a start that gives none. */
const NO_LIMITS: ExecutionLimits = {};

/**
 * What every execution of a state machine takes from its options: its limits and the names and
 * ARNs it is known by. Worked out once, not per start: building the ARNs from their parts made
 * a string for each part, for every execution. It remembers the option values it was made from,
 * and a start whose options differ in any of them makes a new one.
 * @internal
 */
export class ExecutionDefaults implements RuntimeLimits {
  declare public readonly recordHistory: boolean;
  declare public readonly handlers: TaskHandlerTable;
  declare public readonly activityExists: ((activityArn: string) => boolean) | undefined;
  declare public readonly maxHistoryEvents: number;
  declare public readonly maxTransitions: number;
  declare public readonly transitionsBoundDuration: boolean;
  declare public readonly maxPayloadBytes: number;
  declare public readonly express: boolean;
  declare public readonly region: string;
  declare public readonly accountId: string;
  declare public readonly stateMachineName: string;
  /** `arn:aws:states:<region>:<account>:stateMachine:<machine>`. */
  declare public readonly stateMachineArn: string;
  /** An execution's ARN before its name. */
  declare public readonly executionPrefix: string;
  /** An EXPRESS execution's ARN before its name. */
  declare public readonly expressPrefix: string;
  /** CompileOptions.roleArn, or the role AWS would name by default. */
  declare public readonly roleArn: string;
  // The option values this was made from.
  declare private readonly options: CompileOptions;
  declare private readonly limits: ExecutionLimits | undefined;
  declare private readonly givenRecordHistory: boolean | undefined;
  declare private readonly type: CompileOptions['type'];
  declare private readonly givenRegion: string | undefined;
  declare private readonly givenAccountId: string | undefined;
  declare private readonly givenName: string | undefined;
  declare private readonly givenRoleArn: string | undefined;
  declare private readonly givenMaxHistoryEvents: number | undefined;
  declare private readonly givenMaxTransitions: number | undefined;
  declare private readonly givenMaxPayloadBytes: number | undefined;

  constructor(options: CompileOptions, handlers: TaskHandlerTable) {
    const limits = options.limits ?? NO_LIMITS;
    const express = options.type === 'EXPRESS';
    this.options = options;
    this.limits = options.limits;
    this.givenRecordHistory = options.recordHistory;
    this.type = options.type;
    this.givenRegion = options.region;
    this.givenAccountId = options.accountId;
    this.givenName = options.stateMachineName;
    this.givenRoleArn = options.roleArn;
    this.givenMaxHistoryEvents = limits.maxHistoryEvents;
    this.givenMaxTransitions = limits.maxTransitions;
    this.givenMaxPayloadBytes = limits.maxPayloadBytes;
    this.recordHistory = options.recordHistory !== false;
    this.handlers = handlers;
    this.activityExists = options.activityExists;
    this.maxHistoryEvents = express ? Infinity : limits.maxHistoryEvents ?? AwsLimits.HISTORY_EVENTS;
    this.maxTransitions = limits.maxTransitions ?? (express ? EXPRESS_MAX_TRANSITIONS : Infinity);
    this.transitionsBoundDuration = limits.maxTransitions === undefined && express;
    this.maxPayloadBytes = limits.maxPayloadBytes ?? AwsLimits.PAYLOAD_BYTES;
    this.express = express;
    const region = options.region ?? AwsDefaults.REGION;
    const accountId = options.accountId ?? AwsDefaults.ACCOUNT;
    const smName = options.stateMachineName ?? 'StateMachine';
    this.region = region;
    this.accountId = accountId;
    this.stateMachineName = smName;
    this.stateMachineArn = statesArn(region, accountId, 'stateMachine', smName);
    this.executionPrefix = statesArn(region, accountId, 'execution', smName, '');
    this.expressPrefix = statesArn(region, accountId, 'express', smName, '');
    this.roleArn = options.roleArn ?? awsArn(AwsDefaults.PARTITION, 'iam', '', accountId, 'role/StepFunctionsRole');
  }

  /** True when `options` (and `handlers`) still hold the values this was made from. */
  madeFor(options: CompileOptions, handlers: TaskHandlerTable): boolean {
    const limits = options.limits;
    return options === this.options && handlers === this.handlers && limits === this.limits
      && options.recordHistory === this.givenRecordHistory && options.type === this.type && options.activityExists === this.activityExists
      && options.region === this.givenRegion && options.accountId === this.givenAccountId
      && options.stateMachineName === this.givenName && options.roleArn === this.givenRoleArn
      && (limits === undefined || (limits.maxHistoryEvents === this.givenMaxHistoryEvents
        && limits.maxTransitions === this.givenMaxTransitions && limits.maxPayloadBytes === this.givenMaxPayloadBytes));
  }
}

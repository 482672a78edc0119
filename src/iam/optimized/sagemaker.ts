/** The optimized integrations of SageMaker. */
import { arn, text } from '../arns';
import type { Requirement, TaskScope } from '../integrations';
import { isSync, managedRule, on, passRole, tagsGiven, type IamEntry } from './requirements';

/**
 * A SageMaker resource named by an argument. SageMaker keeps names in lower
 * case in its ARNs, while Step Functions' policy templates and the CDK write
 * them as given: the name is compared without regard to case.
 */
function sagemakerArn(ctx: TaskScope, kind: string, name: string | undefined): string | undefined {
  return name === undefined ? undefined : name.startsWith('arn:') ? name : arn(ctx, 'sagemaker', `${kind}/${name}`);
}

interface SageMakerCall {
  readonly api: string;
  readonly action: string;
  readonly kind: string;
  readonly nameField: string;
  /** Fields holding roles SageMaker runs with (passed with iam:PassRole). */
  readonly roles?: string[][];
  /** The Describe/Stop actions of a job, for `.sync`. */
  readonly job?: string;
  /** The events rule of `.sync`, where the guide names it. */
  readonly rule?: string;
}

function sagemaker(call: SageMakerCall): IamEntry {
  return {
    resource: `sagemaker:${call.api}`,
    needs: (args, ctx, pattern) => {
      const resource = sagemakerArn(ctx, call.kind, text(args, call.nameField));
      const anyCase: Partial<Requirement> = { resourceIgnoreCase: true };
      const roles = (call.roles ?? []).flatMap((field) => passRole(ctx, args, field, 'to pass the role SageMaker runs with', 'sagemaker.amazonaws.com'));
      return [
        on(`sagemaker:${call.action}`, resource, `to call ${call.action}`, args, [call.nameField], anyCase),
        ...roles,
        // Tagging at creation needs AddTags; the CDK grants it for jobs only, so for the others a missing grant is a warning.
        ...(tagsGiven(args) ? [on('sagemaker:AddTags', resource, 'to tag what it creates (Tags)', args, [call.nameField], { ...anyCase, ...(call.job ? {} : { optional: true }) })] : []),
        ...(isSync(pattern) && call.job ? [
          ...[`Describe${call.job}`, `Stop${call.job}`].map((a) => on(`sagemaker:${a}`, resource, 'to follow and stop the job (.sync)', args, [call.nameField], anyCase)),
          ...(call.rule ? managedRule(ctx, call.rule, 'for the rule that reports the job ended (.sync)') : []),
        ] : []),
        // The guide lists ListTags on every resource; deployed stacks show Step Functions does not need it to run the call.
        { action: 'sagemaker:ListTags', resource: '*', why: 'to read the tags of what it creates', optional: true },
      ];
    },
  };
}

export const sagemakerCalls: IamEntry[] = [
  sagemaker({ api: 'createTrainingJob', action: 'CreateTrainingJob', kind: 'training-job', nameField: 'TrainingJobName', roles: [['RoleArn']], job: 'TrainingJob', rule: 'StepFunctionsGetEventsForSageMakerTrainingJobsRule' }),
  sagemaker({ api: 'createTransformJob', action: 'CreateTransformJob', kind: 'transform-job', nameField: 'TransformJobName', job: 'TransformJob', rule: 'StepFunctionsGetEventsForSageMakerTransformJobsRule' }),
  sagemaker({ api: 'createProcessingJob', action: 'CreateProcessingJob', kind: 'processing-job', nameField: 'ProcessingJobName', roles: [['RoleArn']], job: 'ProcessingJob' }),
  sagemaker({ api: 'createLabelingJob', action: 'CreateLabelingJob', kind: 'labeling-job', nameField: 'LabelingJobName', roles: [['RoleArn']], job: 'LabelingJob' }),
  sagemaker({
    api: 'createHyperParameterTuningJob',
    action: 'CreateHyperParameterTuningJob',
    kind: 'hyper-parameter-tuning-job',
    nameField: 'HyperParameterTuningJobName',
    roles: [['TrainingJobDefinition', 'RoleArn']],
    job: 'HyperParameterTuningJob',
  }),
  sagemaker({ api: 'createModel', action: 'CreateModel', kind: 'model', nameField: 'ModelName', roles: [['ExecutionRoleArn']] }),
  sagemaker({ api: 'createEndpointConfig', action: 'CreateEndpointConfig', kind: 'endpoint-config', nameField: 'EndpointConfigName' }),
  sagemaker({ api: 'createEndpoint', action: 'CreateEndpoint', kind: 'endpoint', nameField: 'EndpointName' }),
  sagemaker({ api: 'updateEndpoint', action: 'UpdateEndpoint', kind: 'endpoint', nameField: 'EndpointName' }),
];

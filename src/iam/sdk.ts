/**
 * The AWS SDK integrations (`arn:aws:states:::aws-sdk:<service>:<api>`): the
 * IAM action of a call is `<prefix>:<Api>`, where the prefix is the service's
 * prefix in the Service Authorization Reference — often not the SDK name
 * (`sesv2` → `ses`, `sfn` → `states`, `efs` → `elasticfilesystem`) — and a
 * few calls are authorized under another action (`s3:listObjectsV2` →
 * `s3:ListBucket`, `sqs:sendMessageBatch` → `sqs:SendMessage`).
 *
 * Sources: the Step Functions Developer Guide, "AWS SDK service integrations"
 * (the service names and their exception prefixes), and the Service
 * Authorization Reference (each service's prefix and its actions).
 */
import { Args, arn, lambdaFunctionArn, named, queueArn, roleArn, runTimeSource, s3Bucket, s3Object, s3ObjectPrefix, text } from './arns';
import { kmsFor } from './encryption';
import type { IntegrationPermissions, Requirement, TaskScope } from './integrations';
import { OPTIMIZED } from './optimized';

const DOC = 'https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html';

/**
 * One line per service: the name in `aws-sdk:<name>`, its IAM prefix (`-`
 * when it is the name, `?` when the Service Authorization Reference has not
 * been checked for it), and the prefix of the errors the integration raises
 * (`DynamoDb.ResourceNotFoundException`). The services of the guide's
 * "Service integrations release history" for March 12 and June 3, 2026
 * (Bedrock AgentCore, S3 Vectors, …) name their errors by the rule of the
 * older rows, the AWS SDK for Java 2.x's service name (`S3Vectors`,
 * `BedrockAgentCoreControl`); of their IAM prefixes only `bedrock-agentcore`
 * and `s3vectors` are checked, so IAM checks the others by hand.
 */
const SERVICES = `
accessanalyzer access-analyzer AccessAnalyzer
account - Account
acm - Acm
acmpca acm-pca AcmPca
aiops ? AiOps
alexaforbusiness a4b AlexaForBusiness
amp aps Amp
amplify - Amplify
amplifybackend - AmplifyBackend
amplifyuibuilder - AmplifyUiBuilder
apigateway - ApiGateway
apigatewaymanagementapi execute-api ApiGatewayManagementApi
apigatewayv2 apigateway ApiGatewayV2
appconfig - AppConfig
appconfigdata appconfig AppConfigData
appfabric - AppFabric
appflow - Appflow
appintegrations app-integrations AppIntegrations
applicationautoscaling application-autoscaling ApplicationAutoScaling
applicationdiscovery discovery ApplicationDiscovery
applicationinsights - ApplicationInsights
appmesh - AppMesh
appstream - AppStream
appsync - AppSync
arcregionswitch ? ArcRegionSwitch
arczonalshift arc-zonal-shift ArcZonalShift
athena - Athena
auditmanager - AuditManager
autoscaling - AutoScaling
autoscalingplans autoscaling-plans AutoScalingPlans
backup - Backup
backupgateway backup-gateway BackupGateway
batch - Batch
bcmdashboards ? BcmDashboards
bcmdataexports bcm-data-exports BcmDataExports
bcmrecommendedactions ? BcmRecommendedActions
bedrock - Bedrock
bedrockagent bedrock BedrockAgent
bedrockagentcore bedrock-agentcore BedrockAgentCore
bedrockagentcorecontrol bedrock-agentcore BedrockAgentCoreControl
bedrockagentruntime bedrock BedrockAgentRuntime
bedrockruntime bedrock BedrockRuntime
braket - Braket
budgets - Budgets
chatbot - Chatbot
chime - Chime
chimesdkmeetings chime ChimeSdkMeetings
cleanrooms - CleanRooms
cloud9 - Cloud9
cloudcontrol cloudformation CloudControl
clouddirectory - CloudDirectory
cloudformation - CloudFormation
cloudfront - CloudFront
cloudhsm - CloudHsm
cloudhsmv2 cloudhsm CloudHsmV2
cloudsearch - CloudSearch
cloudtrail - CloudTrail
cloudwatch - CloudWatch
cloudwatchevents events CloudWatchEvents
cloudwatchlogs logs CloudWatchLogs
codeartifact - Codeartifact
codebuild - CodeBuild
codecatalyst - CodeCatalyst
codecommit - CodeCommit
codedeploy - CodeDeploy
codeguruprofiler codeguru-profiler CodeGuruProfiler
codegurureviewer codeguru-reviewer CodeGuruReviewer
codepipeline - CodePipeline
codestar - CodeStar
codestarconnections codestar-connections CodeStarConnections
codestarnotifications codestar-notifications CodestarNotifications
cognitoidentity cognito-identity CognitoIdentity
cognitoidentityprovider cognito-idp CognitoIdentityProvider
cognitosync cognito-sync CognitoSync
comprehend - Comprehend
comprehendmedical - ComprehendMedical
computeoptimizer compute-optimizer ComputeOptimizer
computeoptimizerautomation ? ComputeOptimizerAutomation
config - Config
configservice config ConfigService
connect - Connect
connectcontactlens connect ConnectContactLens
connecthealth ? ConnectHealth
controlcatalog - ControlCatalog
costandusagereport cur CostAndUsageReport
costexplorer ce CostExplorer
costoptimizationhub cost-optimization-hub CostOptimizationHub
databasemigration dms DatabaseMigration
databrew - DataBrew
dataexchange - DataExchange
datapipeline - DataPipeline
datasync - DataSync
datazone - DataZone
dax - Dax
detective - Detective
devicefarm - DeviceFarm
devopsagent ? DevOpsAgent
devopsguru - DevOpsGuru
directconnect - DirectConnect
directory ds Directory
dlm - Dlm
docdb rds DocDb
drs - Drs
dynamodb - DynamoDb
dynamodbstreams dynamodb DynamoDbStreams
ebs - Ebs
ec2 - Ec2
ec2instanceconnect ec2-instance-connect Ec2InstanceConnect
ecr - Ecr
ecrpublic ecr-public EcrPublic
ecs - Ecs
efs elasticfilesystem Efs
eks - Eks
elasticache - ElastiCache
elasticbeanstalk - ElasticBeanstalk
elasticinference elastic-inference ElasticInference
elasticloadbalancing - ElasticLoadBalancing
elasticloadbalancingv2 elasticloadbalancing ElasticLoadBalancingV2
elasticsearch es Elasticsearch
elastictranscoder - ElasticTranscoder
elementalinference ? ElementalInference
emr elasticmapreduce Emr
emrcontainers emr-containers EmrContainers
emrserverless emr-serverless EmrServerless
entityresolution - EntityResolution
eventbridge events EventBridge
evidently - Evidently
firehose - Firehose
fis - Fis
fms - Fms
forecast - Forecast
forecastquery forecast Forecastquery
frauddetector - FraudDetector
fsx - FSx
gamelift - GameLift
gameliftstreams ? GameLiftStreams
glacier - Glacier
glue - Glue
grafana - Grafana
greengrass - Greengrass
greengrassv2 greengrass GreengrassV2
groundstation - GroundStation
guardduty - GuardDuty
healthlake - HealthLake
honeycode - Honeycode
iam - Iam
identitystore - Identitystore
imagebuilder - Imagebuilder
inspector - Inspector
inspector2 - Inspector2
inspectorscan inspector-scan InspectorScan
interconnect ? Interconnect
internetmonitor - InternetMonitor
iot - Iot
iot1clickprojects iot1click Iot1ClickProjects
iotanalytics - IoTAnalytics
iotdata iot IotData
iotdeviceadvisor - IotDeviceAdvisor
iotevents - IotEvents
ioteventsdata iotevents IotEventsData
iotfleethub - IoTFleetHub
iotfleetwise - IoTFleetWise
iotjobsdataplane iotjobsdata IotJobsDataPlane
iotmanagedintegrations ? IotManagedIntegrations
iotsecuretunneling iot IoTSecureTunneling
iotsitewise - IoTSiteWise
iotthingsgraph - IoTThingsGraph
iottwinmaker - IoTTwinMaker
iotwireless - IotWireless
ivs - Ivs
ivschat - Ivschat
kafka - Kafka
kafkaconnect - KafkaConnect
kendra - Kendra
keyspaces cassandra Keyspaces
keyspacesstreams ? KeyspacesStreams
kinesis - Kinesis
kinesisanalytics - KinesisAnalytics
kinesisanalyticsv2 kinesisanalytics KinesisAnalyticsV2
kinesisvideo - KinesisVideo
kinesisvideoarchivedmedia kinesisvideo KinesisVideoArchivedMedia
kinesisvideomedia kinesisvideo KinesisVideoMedia
kinesisvideosignaling kinesisvideo KinesisVideoSignaling
kms - Kms
lakeformation - LakeFormation
lambda - Lambda
lexmodelbuilding lex LexModelBuilding
lexmodelsv2 lex LexModelsV2
lexruntime lex LexRuntime
lexruntimev2 lex LexRuntimeV2
licensemanager license-manager LicenseManager
lightsail - Lightsail
location geo Location
lookoutequipment - LookoutEquipment
lookoutmetrics - LookoutMetrics
lookoutvision - LookoutVision
m2 - M2
macie2 - Macie2
mailmanager ses MailManager
managedblockchain - ManagedBlockchain
marketplacecatalog aws-marketplace MarketplaceCatalog
marketplacecommerceanalytics - MarketplaceCommerceAnalytics
marketplacediscovery ? MarketplaceDiscovery
marketplaceentitlement aws-marketplace MarketplaceEntitlement
marketplacemetering aws-marketplace MarketplaceMetering
mediaconnect - MediaConnect
mediaconvert - MediaConvert
medialive - MediaLive
mediapackage - MediaPackage
mediapackagevod mediapackage-vod MediaPackageVod
mediastore - MediaStore
mediastoredata mediastore MediaStoreData
mediatailor - MediaTailor
medicalimaging medical-imaging MedicalImaging
memorydb - MemoryDB
mgn - Mgn
migrationhub mgh MigrationHub
migrationhubconfig mgh MigrationHubConfig
migrationhubstrategy migrationhub-strategy MigrationHubStrategy
mpa ? Mpa
mq - Mq
mturk mechanicalturk MTurk
mwaa airflow Mwaa
mwaaserverless ? MwaaServerless
neptune rds Neptune
neptunegraph neptune-graph NeptuneGraph
networkfirewall network-firewall NetworkFirewall
networkmanager - NetworkManager
novaact ? NovaAct
oam - Oam
odb ? Odb
omics - Omics
opensearch es OpenSearch
opensearchserverless aoss OpenSearchServerless
opsworks - OpsWorks
opsworkscm opsworks-cm OpsWorksCm
organizations - Organizations
osis - Osis
outposts - Outposts
panorama - Panorama
partnercentralaccount ? PartnerCentralAccount
partnercentralbenefits ? PartnerCentralBenefits
partnercentralchannel ? PartnerCentralChannel
paymentcryptography payment-cryptography PaymentCryptography
personalize - Personalize
personalizeevents personalize PersonalizeEvents
personalizeruntime personalize PersonalizeRuntime
pi - Pi
pinpoint mobiletargeting Pinpoint
pinpointemail ses PinpointEmail
pinpointsmsvoice sms-voice PinpointSmsVoice
pinpointsmsvoicev2 sms-voice PinpointSmsVoiceV2
pipes - Pipes
polly - Polly
pricing - Pricing
qbusiness - QBusiness
qldb - Qldb
qldbsession qldb QldbSession
quicksight - QuickSight
ram - Ram
rbin - Rbin
rds - Rds
rdsdata rds-data RdsData
redshift - Redshift
redshiftdata redshift-data RedshiftData
redshiftserverless redshift-serverless RedshiftServerless
rekognition - Rekognition
resiliencehub - Resiliencehub
resourceexplorer2 resource-explorer-2 ResourceExplorer2
resourcegroups resource-groups ResourceGroups
resourcegroupstaggingapi tag ResourceGroupsTaggingApi
robomaker - RoboMaker
rolesanywhere - RolesAnywhere
route53 - Route53
route53domains - Route53Domains
route53globalresolver ? Route53GlobalResolver
route53profiles - Route53Profiles
route53resolver - Route53Resolver
rtbfabric ? RtbFabric
rum - Rum
s3 - S3
s3control s3 S3Control
s3files ? S3Files
s3outposts s3-outposts S3Outposts
s3tables - S3Tables
s3vectors - S3Vectors
sagemaker - SageMaker
sagemakera2iruntime sagemaker SageMakerA2IRuntime
sagemakeredge sagemaker SagemakerEdge
sagemakerfeaturestoreruntime sagemaker SageMakerFeatureStoreRuntime
sagemakergeospatial sagemaker-geospatial SageMakerGeospatial
sagemakerruntime sagemaker SageMakerRuntime
savingsplans - Savingsplans
scheduler - Scheduler
schemas - Schemas
secretsmanager - SecretsManager
securityagent ? SecurityAgent
securityhub - SecurityHub
securitylake - SecurityLake
serverlessapplicationrepository serverlessrepo ServerlessApplicationRepository
servicecatalog - ServiceCatalog
servicecatalogappregistry servicecatalog ServiceCatalogAppRegistry
servicediscovery - ServiceDiscovery
servicequotas - ServiceQuotas
ses - Ses
sesv2 ses SesV2
sfn states Sfn
shield - Shield
signer - Signer
signerdata ? SignerData
signin ? Signin
simpledbv2 ? SimpleDbV2
simspaceweaver - SimSpaceWeaver
sms - Sms
snowball - Snowball
sns - Sns
sqs - Sqs
ssm - Ssm
ssmcontacts ssm-contacts SsmContacts
ssmguiconnect ? SsmGuiConnect
ssmincidents ssm-incidents SsmIncidents
ssmquicksetup ssm-quicksetup SsmQuickSetup
ssmsap ssm-sap SsmSap
sso - Sso
ssoadmin sso SsoAdmin
ssooidc sso-oauth SsoOidc
storagegateway - StorageGateway
sts - Sts
supplychain scn SupplyChain
support - Support
sustainability ? Sustainability
swf - Swf
synthetics - Synthetics
textract - Textract
timestreaminfluxdb timestream-influxdb TimestreamInfluxDb
timestreamquery timestream TimestreamQuery
timestreamwrite timestream TimestreamWrite
transcribe - Transcribe
transfer - Transfer
translate - Translate
trustedadvisor - TrustedAdvisor
uxc ? Uxc
verifiedpermissions - VerifiedPermissions
voiceid - VoiceId
vpclattice vpc-lattice VpcLattice
waf - Waf
wafregional waf-regional WafRegional
wafv2 - Wafv2
wellarchitected - WellArchitected
wickr ? Wickr
wisdom - Wisdom
workdocs - WorkDocs
workmail - WorkMail
workmailmessageflow - WorkMailMessageFlow
workspaces - WorkSpaces
workspacesinstances ? WorkspacesInstances
workspacesthinclient thinclient WorkSpacesThinClient
workspacesweb workspaces-web WorkSpacesWeb
xray - XRay
`;

/** An SDK service: its IAM prefix and the prefix of its errors. */
export interface SdkService {
  readonly name: string;
  /** The prefix of its IAM actions; undefined when it has not been checked. */
  readonly iamPrefix?: string;
  readonly errorPrefix: string;
}

/** Every AWS SDK service the table knows, by its `aws-sdk:` name. */
export const SDK_SERVICES: ReadonlyMap<string, SdkService> = new Map(SERVICES.trim().split('\n').map((line) => {
  const [name, prefix, errorPrefix] = line.split(' ');
  return [name, { name, ...(prefix === '?' ? {} : { iamPrefix: prefix === '-' ? name : prefix }), errorPrefix }];
}));

/** Calls authorized under another action than `<prefix>:<Api>` (or under more than one). */
const ACTION_EXCEPTIONS: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ['s3:listObjectsV2', ['s3:ListBucket']],
  ['s3:listObjects', ['s3:ListBucket']],
  ['s3:listObjectVersions', ['s3:ListBucketVersions']],
  ['s3:listMultipartUploads', ['s3:ListBucketMultipartUploads']],
  ['s3:listParts', ['s3:ListMultipartUploadParts']],
  ['s3:listBuckets', ['s3:ListAllMyBuckets']],
  ['s3:headObject', ['s3:GetObject']],
  ['s3:headBucket', ['s3:ListBucket']],
  ['s3:copyObject', ['s3:GetObject', 's3:PutObject']],
  ['s3:deleteObjects', ['s3:DeleteObject']],
  ['s3:createMultipartUpload', ['s3:PutObject']],
  ['s3:uploadPart', ['s3:PutObject']],
  ['s3:completeMultipartUpload', ['s3:PutObject']],
  ['s3:getBucketNotificationConfiguration', ['s3:GetBucketNotification']],
  ['s3:putBucketNotificationConfiguration', ['s3:PutBucketNotification']],
  ['s3:getBucketLifecycleConfiguration', ['s3:GetLifecycleConfiguration']],
  ['s3:putBucketLifecycleConfiguration', ['s3:PutLifecycleConfiguration']],
  ['s3:deleteBucketLifecycle', ['s3:PutLifecycleConfiguration']],
  ['s3:getBucketEncryption', ['s3:GetEncryptionConfiguration']],
  ['s3:putBucketEncryption', ['s3:PutEncryptionConfiguration']],
  ['s3:getBucketCors', ['s3:GetBucketCORS']],
  ['s3:putBucketCors', ['s3:PutBucketCORS']],
  ['s3:getBucketReplication', ['s3:GetReplicationConfiguration']],
  ['s3:getPublicAccessBlock', ['s3:GetBucketPublicAccessBlock']],
  ['s3:putPublicAccessBlock', ['s3:PutBucketPublicAccessBlock']],
  ['s3:getObjectLockConfiguration', ['s3:GetBucketObjectLockConfiguration']],
  ['lambda:invoke', ['lambda:InvokeFunction']],
  ['lambda:invokeWithResponseStream', ['lambda:InvokeFunction']],
  ['sqs:sendMessageBatch', ['sqs:SendMessage']],
  ['sqs:deleteMessageBatch', ['sqs:DeleteMessage']],
  ['sqs:changeMessageVisibilityBatch', ['sqs:ChangeMessageVisibility']],
  ['sns:publishBatch', ['sns:Publish']],
  ['bedrockruntime:converse', ['bedrock:InvokeModel']],
  ['bedrockruntime:converseStream', ['bedrock:InvokeModelWithResponseStream']],
]);

/** The action of a call of API Gateway's management API, which IAM authorizes by HTTP method. */
function apiGatewayMethod(service: string, api: string): string | undefined {
  const v2 = service === 'apigatewayv2';
  if (/^get/.test(api) || (v2 && /^export/.test(api))) return 'GET';
  if (/^(create|generate|test)/.test(api) || (!v2 && /^import/.test(api)) || (v2 && /^tag/.test(api))) return 'POST';
  if (/^update/.test(api)) return 'PATCH';
  if (/^put/.test(api) || (v2 && /^(import|reimport)/.test(api)) || (!v2 && /^tag/.test(api))) return 'PUT';
  if (/^(delete|untag|flush)/.test(api) || (v2 && /^reset/.test(api))) return 'DELETE';
  return undefined;
}

/** The IAM actions of an SDK call, or why they are not known. */
function actionsOf(service: SdkService, api: string): string[] | string {
  const exception = ACTION_EXCEPTIONS.get(`${service.name}:${api}`);
  if (exception) return [...exception];
  if (service.name === 'apigateway' || service.name === 'apigatewayv2') {
    const method = apiGatewayMethod(service.name, api);
    return method ? [`apigateway:${method}`] : `API Gateway authorizes aws-sdk:${service.name}:${api} by the HTTP method of the call, which stepwright does not know for it`;
  }
  // Every call of the API Gateway Management API is one action.
  if (service.name === 'apigatewaymanagementapi') return ['execute-api:ManageConnections'];
  if (service.name === 'dynamodb' && (api === 'executeStatement' || api === 'batchExecuteStatement' || api === 'executeTransaction')) {
    return 'a PartiQL statement is authorized by what it does (dynamodb:PartiQLSelect, PartiQLInsert, PartiQLUpdate, PartiQLDelete)';
  }
  return [`${service.iamPrefix}:${api.charAt(0).toUpperCase()}${api.slice(1)}`];
}

/**
 * The permissions of an `aws-sdk:<service>:<api>` Task. A call an optimized
 * integration also offers (`aws-sdk:ecs:runTask`, `aws-sdk:sfn:startExecution`)
 * needs what that integration's request-response pattern needs.
 */
export function sdkPermissions(name: string, api: string, args: Args | undefined, ctx: TaskScope): IntegrationPermissions {
  const integration = `aws-sdk:${name}:${api}`;
  const service = SDK_SERVICES.get(name);
  if (service === undefined) {
    const errorService = name.charAt(0).toUpperCase() + name.slice(1);
    return {
      integration,
      doc: DOC,
      errorService,
      requirements: [],
      unknown: `the SDK service '${name}' of ${integration} is not in stepwright's table of AWS SDK integrations, so the IAM prefix of its actions is not known; check its permission by hand`,
    };
  }
  const base = { integration, doc: DOC, errorService: service.errorPrefix };
  if (service.iamPrefix === undefined) {
    return { ...base, requirements: [], unknown: `the IAM prefix of the actions of ${integration} (a service Step Functions added in 2026) is not in stepwright's table yet; check its permission by hand` };
  }
  if (name === 'dynamodb' && (api === 'transactWriteItems' || api === 'transactGetItems')) {
    return { ...base, requirements: transactItems(args, ctx) };
  }
  const optimized = OPTIMIZED.get(`${service.iamPrefix}:${api}`);
  if (optimized && optimized.authorizedElsewhere === undefined) {
    return { ...base, ...(optimized.grant ? { grant: optimized.grant } : {}), requirements: optimized.needs(args, ctx, 'request') };
  }
  const actions = actionsOf(service, api);
  if (typeof actions === 'string') return { ...base, requirements: [], unknown: `${integration}: ${actions}; check its permission by hand` };
  const resource = sdkResource(name, api, args, ctx);
  const requirements: Requirement[] = actions.map((action) => ({
    action,
    ...(resource.resource !== undefined ? { resource: resource.resource } : {}),
    ...(resource.unresolved !== undefined ? { unresolved: resource.unresolved } : {}),
    ...(resource.resourcePrefix !== undefined ? { resourcePrefix: resource.resourcePrefix } : {}),
    why: `to call ${name}:${api}`,
  }));
  requirements.push(...sdkExtras(name, api, args, ctx, resource.resource));
  return { ...base, grant: `CallAwsService's iamResources / iamAction (the action is ${actions.join(', ')})`, requirements };
}

/** What else a call needs: a role it passes, the KMS key of what it reads or writes. */
function sdkExtras(name: string, api: string, args: Args | undefined, ctx: TaskScope, resource: string | undefined): Requirement[] {
  // A schedule runs its target with the role it names, which the caller must be allowed to pass.
  if (name === 'scheduler' && /^(create|update)Schedule$/.test(api)) {
    const role = text(args, 'Target', 'RoleArn');
    const unresolved = runTimeSource(args, 'Target', 'RoleArn');
    return [{ action: 'iam:PassRole', ...(role !== undefined ? { resource: roleArn(ctx, role) } : { unresolved: unresolved ?? 'the target role is not given' }), why: "to pass the schedule target's role" }];
  }
  if (name === 's3' && resource !== undefined) {
    if (api === 'getObject' || api === 'headObject') return kmsFor(ctx, 's3', resource, 'decrypt');
    if (api === 'putObject' || api === 'copyObject') return kmsFor(ctx, 's3', resource, 'encrypt');
  }
  if (name === 'sqs' && resource !== undefined) {
    if (api === 'sendMessage' || api === 'sendMessageBatch') return kmsFor(ctx, 'sqs', resource, 'encrypt');
    if (api === 'receiveMessage') return kmsFor(ctx, 'sqs', resource, 'decrypt');
  }
  if (name === 'sns' && resource !== undefined && (api === 'publish' || api === 'publishBatch')) return kmsFor(ctx, 'sns', resource, 'encrypt');
  if (name === 'dynamodb' && resource !== undefined && /Item|query|scan/i.test(api)) return kmsFor(ctx, 'dynamodb', resource, 'decrypt');
  return [];
}

/** The resource of an SDK call, for the services whose arguments name it plainly. */
function sdkResource(name: string, api: string, args: Args | undefined, ctx: TaskScope): Pick<Requirement, 'resource' | 'unresolved' | 'resourcePrefix'> {
  const from = (value: string | undefined, ...field: string[]): { resource?: string; unresolved?: string } =>
    (value !== undefined ? { resource: value } : { unresolved: runTimeSource(args, ...field) ?? `the resource of ${name}:${api} is not named by its arguments` });
  switch (name) {
    case 's3': {
      const bucket = text(args, 'Bucket');
      if (/^(listObjects|listObjectsV2|listObjectVersions|listMultipartUploads|headBucket)$/.test(api) || /^(get|put|delete)Bucket/.test(api)) return from(s3Bucket(ctx, bucket), 'Bucket');
      const key = text(args, 'Key');
      if (bucket !== undefined && key === undefined) return { ...from(undefined, 'Key'), ...s3ObjectPrefix(ctx, bucket) };
      return from(bucket === undefined || key === undefined ? undefined : s3Object(ctx, bucket, key), bucket === undefined ? 'Bucket' : 'Key');
    }
    case 'dynamodb': return from(named(ctx, 'dynamodb', 'table/', text(args, 'TableName')), 'TableName');
    case 'sqs': {
      const url = text(args, 'QueueUrl');
      return from(url === undefined ? undefined : queueArn(ctx, url), 'QueueUrl');
    }
    case 'sns': return from(text(args, 'TopicArn'), 'TopicArn');
    case 'lambda': {
      const fn = text(args, 'FunctionName');
      return from(fn === undefined ? undefined : lambdaFunctionArn(ctx, fn), 'FunctionName');
    }
    case 'ssm':
      if (/^(getParameter|putParameter|deleteParameter|getParameterHistory)$/.test(api)) {
        const p = text(args, 'Name');
        return from(p === undefined ? undefined : p.startsWith('arn:') ? p : arn(ctx, 'ssm', `parameter/${p.replace(/^\//, '')}`), 'Name');
      }
      break;
    case 'glue':
      if (/Crawler$/.test(api)) return from(named(ctx, 'glue', 'crawler/', text(args, 'Name')), 'Name');
      break;
    case 'scheduler':
      if (/Schedule$/.test(api)) {
        const s = text(args, 'Name');
        return from(s === undefined ? undefined : arn(ctx, 'scheduler', `schedule/${text(args, 'GroupName') ?? 'default'}/${s}`), 'Name');
      }
      break;
    case 'cloudwatchlogs': {
      const group = text(args, 'LogGroupName');
      if (group === undefined) return from(undefined, 'LogGroupName');
      // Log-stream calls are authorized on the stream; `*` stands for one only known at run time.
      const streamCall = /LogStream|LogEvents/.test(api);
      const stream = text(args, 'LogStreamName') ?? '*';
      return { resource: arn(ctx, 'logs', `log-group:${group}${streamCall ? `:log-stream:${stream}` : ''}`) };
    }
    case 'kinesis': {
      const streamArn = text(args, 'StreamARN');
      const streamName = text(args, 'StreamName');
      if (streamArn !== undefined || streamName !== undefined) return { resource: streamArn ?? arn(ctx, 'kinesis', `stream/${streamName}`) };
      break;
    }
  }
  return { unresolved: `stepwright does not read the resource of ${name}:${api} from its arguments` };
}

/** TransactWriteItems/TransactGetItems are authorized per item: Put → PutItem on its table, and so on. */
function transactItems(args: Args | undefined, ctx: TaskScope): Requirement[] {
  const items = args?.TransactItems;
  if (!Array.isArray(items)) return [{ action: 'dynamodb:PutItem', why: 'to write the transaction items', unresolved: runTimeSource(args, 'TransactItems') ?? 'the items are only known at run time' }];
  const out: Requirement[] = [];
  const ACTIONS: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem', Get: 'GetItem' };
  for (const item of items) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
    for (const [kind, op] of Object.entries(item)) {
      if (!Object.hasOwn(ACTIONS, kind)) continue;
      const table = named(ctx, 'dynamodb', 'table/', text(op, 'TableName'));
      out.push({ action: `dynamodb:${ACTIONS[kind]}`, ...(table ? { resource: table } : { unresolved: runTimeSource(op, 'TableName') ?? 'the table is only known at run time' }), why: `for the ${kind} item of the transaction` });
      out.push(...kmsFor(ctx, 'dynamodb', table, 'decrypt'));
    }
  }
  return out;
}

/** The IAM prefix of each `aws-sdk:<service>` name that differs from it. */
export const SDK_IAM_PREFIXES: Readonly<Record<string, string>> = Object.fromEntries(
  [...SDK_SERVICES.values()].filter((s) => s.iamPrefix !== undefined && s.iamPrefix !== s.name).map((s) => [s.name, s.iamPrefix!]),
);

/** `aws-sdk:` service names whose IAM prefix is the name itself. */
export const SDK_SAME_PREFIX: ReadonlySet<string> = new Set([...SDK_SERVICES.values()].filter((s) => s.iamPrefix === s.name).map((s) => s.name));

/** SDK calls authorized under another action than `<prefix>:<Api>`, for the documentation. */
export const SDK_ACTION_EXCEPTIONS: ReadonlyMap<string, readonly string[]> = ACTION_EXCEPTIONS;

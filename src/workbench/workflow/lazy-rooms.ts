/*
 * The template room (the loader of templates and cloud assemblies, with cfn/'s resolver and the
 * IAM checks it brings) and the role check, loaded on first use: plain ASL, the CLI's most
 * common run, starts without them. One home for both loads, which the workflow and commands
 * rooms share.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- synchronous loads, deferred to first use */

type TemplateRoom = typeof import('../template');
type IamWorkflow = typeof import('../template/iam-workflow');

let templateModule: TemplateRoom | undefined;
let iamWorkflowModule: IamWorkflow | undefined;

/** The template room, loaded by the first template, stack or cloud assembly. @internal */
export function templateRoom(): TemplateRoom {
  return templateModule ??= require('../template') as TemplateRoom;
}

/** The role check and the IAM layer under it, loaded by the first run with the permissions setting on. @internal */
export function iamWorkflow(): IamWorkflow {
  return iamWorkflowModule ??= require('../template/iam-workflow') as IamWorkflow;
}

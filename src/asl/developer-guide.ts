/** The base of every page of the Step Functions Developer Guide. */
export const DEVELOPER_GUIDE = 'https://docs.aws.amazon.com/step-functions/latest/dg/';

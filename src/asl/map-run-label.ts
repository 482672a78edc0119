/*
 * The label of a Map Run (`arn:…:mapRun:<machine>/<label>:<id>`): the Map's `Label`, or the one
 * AWS generates for a Map without it.
 */
import { createHash } from 'node:crypto';

const HEX = '0123456789abcdef';

/**
 * A UUID named by `text`, laid out as a version-3 (MD5, name-based) UUID: the form of the label
 * AWS gives a Map without one and of its child executions' names (a capture of AWS result files:
 * `…:mapRun:<machine>/8c9dd6c6-f907-3584-9153-f8a2f1bfe7ce:<id>`, children named
 * `55334b15-7c04-3b8d-8ee4-5c6f72f90dbc`). The same text names the same UUID, so runs repeat.
 */
export function nameBasedUuid(text: string): string {
  const h = createHash('md5').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-3${h.slice(13, 16)}-${HEX[8 + (parseInt(h[16], 16) % 4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The label in a Map Run's ARN: the Map's `Label`, or else one AWS generates. AWS's generated
 * label is a name-based UUID that stays the same from one execution of the state machine to the
 * next (two runs of one machine, days apart, in the capture above); stepwright's is named by the
 * state machine's ARN and the Map state's name, so it stays too, though its value is not AWS's.
 */
export function mapRunLabel(label: string | undefined, stateMachineArn: string, stateName: string): string {
  return label ?? nameBasedUuid(`${stateMachineArn}\n${stateName}`);
}

/**
 * The ARN of the state machine that ran a Map Run: `…:mapRun:<machine>/<label>:<id>` was run by
 * `…:stateMachine:<machine>` (a child's machine `<parent>/<label>` for a Map Run in a child).
 */
export function machineOfMapRun(mapRunArn: string): string | undefined {
  const m = /^(arn:[^:]+:states:[^:]*:[^:]*):mapRun:(.+)\/[^/:]+:[^:]+$/.exec(mapRunArn);
  return m ? `${m[1]}:stateMachine:${m[2]}` : undefined;
}

/**
 * The ARN of the state machine a Map Run's children run, as ListMapRuns and DescribeExecution
 * name it (recorded: test_sfn_api_map_run): `…:mapRun:<machine>/<label>:<id>` runs
 * `…:stateMachine:<machine>/<label>`.
 */
export function childMachineOfMapRun(mapRunArn: string): string | undefined {
  const m = /^(arn:[^:]+:states:[^:]*:[^:]*):mapRun:(.+\/[^/:]+):[^:]+$/.exec(mapRunArn);
  return m ? `${m[1]}:stateMachine:${m[2]}` : undefined;
}

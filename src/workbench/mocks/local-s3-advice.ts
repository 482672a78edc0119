// The local S3 advice on its own, without the Resource parser or the S3 Tasks: serve's Task
// dispatcher gives it, and serve loads that before its first answer (test/server/start.test.ts).
import type { MockDoor } from './validation-mode';

/**
 * How each door gives a run its local S3 folder (`give`: the words every door's advice ends with),
 * and the option that names the folder a run was given (`named`), from here alone. TestState is
 * reached from several doors, and names them all.
 */
const LOCAL_S3_OPTION: Readonly<Record<MockDoor, { readonly give: string; readonly named: string }>> = {
  'jest': { give: "wf.run(input, { s3: { dir: '<folder>' } })", named: "the run's s3: { dir }" },
  'cli': { give: '--s3-dir <folder>', named: '--s3-dir' },
  'serve': { give: 'start stepwright serve with --s3-dir <folder>', named: "serve's --s3-dir" },
  'mcp': { give: "s3Dir: '<folder>' in the tool's arguments", named: "the tool's s3Dir" },
  'test-state': {
    give: 's3: { dir } in a test, --s3-dir on the command line, s3Dir in MCP',
    named: '--s3-dir on the command line (s3: { dir } in a test, s3Dir in MCP)',
  },
};

/**
 * The advice, at `door`, to give a run a local S3 for what a Task or a Map's ItemReader reads
 * from S3 and nothing answered: the same words at every door, but for the door's own option.
 * `folders` names the template's buckets as folders (` (Data is the folder 'databuckete3889a50' in it)`), or is ''.
 * @internal
 */
export function localS3Advice(door: MockDoor, folders: string): string {
  return "for an S3 object it reads (a Map's ItemReader, an S3 Task such as GetObject), give the run a local S3 folder holding it, "
    + `a folder per bucket and a file per key${folders}: ${LOCAL_S3_OPTION[door].give}`;
}

/**
 * The local S3 folder a run at `door` was given, as a message that says what to make in it names
 * it: `the local S3 folder, the one --s3-dir names` on the command line.
 * @internal
 */
export function localS3FolderAt(door: MockDoor): string {
  return `the local S3 folder, the one ${LOCAL_S3_OPTION[door].named} names`;
}

/** Where the command line writes: standard output and standard error. @internal */
export interface Streams {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
}

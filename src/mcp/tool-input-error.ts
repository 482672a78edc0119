/** Bad input to a tool: the message names the field and says how to fix it. @internal */
export class ToolInputError extends Error {
  constructor(public readonly field: string | undefined, message: string) {
    super(field === undefined ? message : `${field}: ${message}`);
    this.name = 'ToolInputError';
  }
}

/**
 * The definition, run or coverage data given to a renderer cannot be drawn:
 * the message names the state, the field and the value, and how to fix it.
 */
export class RenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RenderError';
  }
}

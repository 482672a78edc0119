/**
 * Input a command cannot use (a file it cannot read, JSON that does not
 * parse, a selector that matches nothing, a mock it cannot read), in one
 * message that names the file or field and says how to fix it. Both shells
 * report it: `stepwright <command>` as a message and an exit code, `stepwright
 * mcp` as a tool error. Nothing here imports anything, so a shell can catch
 * it without loading the loaders.
 * @internal
 */
export class CommandInputError extends Error {
  /**
   * True when the input is a state machine definition that is not one (exit
   * code 1, as for an invalid definition); false for input that cannot be
   * read or used at all (exit code 2).
   */
  public readonly invalidDefinition: boolean;

  constructor(message: string, invalidDefinition = false) {
    super(message);
    this.name = 'CommandInputError';
    this.invalidDefinition = invalidDefinition;
  }
}

/** The text is not JSON (or YAML): says where, so it can be fixed. @internal */
export class JsonFileError extends CommandInputError {
  constructor(public readonly file: string, public readonly reason: string, public readonly format: 'JSON' | 'YAML' = 'JSON') {
    super(`${file}: not valid ${format}: ${reason}`);
    this.name = 'JsonFileError';
  }
}

/** The file holds JSON, but not an object: neither a definition nor a template. @internal */
export class NotADefinitionError extends CommandInputError {
  constructor(public readonly file: string, public readonly reason: string) {
    super(`${file}: ${reason}`, true);
    this.name = 'NotADefinitionError';
  }
}

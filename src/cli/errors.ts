/** A failure the user can fix (bad argument, bad file, unreachable server): printed as is, no stack. */
export class CliError extends Error {
  constructor(
    message: string,
    /** 2: bad command line; 1: anything else. */
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string) => new CliError(message, 2);

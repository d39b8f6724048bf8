import { Command } from 'commander';

/** Where a command writes: the process's stdout and stderr, or a test's buffers. */
export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

/**
 * A command that writes through `io`, throws instead of exiting (the caller turns that into an exit code) and
 * shows help after a usage error. addCommand() does not pass these settings on: each top-level command sets them.
 */
export function cliCommand(name: string, description: string, io: CliIo): Command {
  return new Command(name)
    .description(description)
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    .showHelpAfterError();
}

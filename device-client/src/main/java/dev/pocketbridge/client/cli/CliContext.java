package dev.pocketbridge.client.cli;

import java.io.BufferedReader;
import java.io.PrintStream;
import java.time.Clock;

/**
 * What every command works with: standard input (for confirmations), output and error, the
 * clock (and its zone, to show times), where the state file is, and whether standard error is
 * a terminal (progress bars there, else plain progress lines).
 */
record CliContext(BufferedReader in, PrintStream out, PrintStream err, Clock clock, StateLocation states,
        boolean errIsTerminal) {
}

package dev.pocketbridge.client.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.stream.Stream;

import dev.pocketbridge.client.ApiError;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code pocketbridge-cli}: register a device, pair another one, send text and files and listen,
 * with payloads end-to-end encrypted under the user's content key; list, rename and remove
 * devices, delete the account. The commands are picocli commands ({@link RootCommand}); this class
 * runs one and turns what went wrong into one line on standard error and an exit status:
 * {@value #EXIT_OK} done, {@value #EXIT_FAILED} failed, {@value #EXIT_USAGE} wrong command line.
 */
public final class Main {

    static final int EXIT_OK = CommandLine.ExitCode.OK;
    static final int EXIT_FAILED = CommandLine.ExitCode.SOFTWARE;
    static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;
    /** Set by the launcher script: whether standard error is a terminal (Java cannot tell). */
    static final String STDERR_TERMINAL = "pocketbridge.cli.stderr-terminal";

    private final CliContext context;

    Main(CliContext context) {
        this.context = context;
    }

    /** {@code in} answers confirmation questions; {@code clock} (and its zone) shows times; plain progress lines. */
    Main(BufferedReader in, PrintStream out, PrintStream err, Clock clock) {
        this(new CliContext(in, out, err, clock, StateLocation.ofSystem(err), false));
    }

    public static void main(String[] args) {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        CliContext context = new CliContext(in, out, err, Clock.systemDefaultZone(), StateLocation.ofSystem(err),
                errIsTerminal());
        System.exit(new Main(context).run(args));
    }

    /** Runs one command; returns the exit status. */
    int run(String[] args) {
        return commandLine().execute(args);
    }

    CommandLine commandLine() {
        CommandLine line = new CommandLine(new RootCommand(context));
        line.setOut(new PrintWriter(new OutputStreamWriter(context.out(), StandardCharsets.UTF_8), true));
        line.setErr(new PrintWriter(new OutputStreamWriter(context.err(), StandardCharsets.UTF_8), true));
        line.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        line.setExpandAtFiles(false); // "@name" is a device name, not a file of arguments
        line.setParameterExceptionHandler(this::usageError);
        line.setExecutionExceptionHandler(this::failure);
        String[] footer = line.getCommandSpec().usageMessage().footer();
        String[] state = Arrays.stream(context.states().describe()).map(s -> s.replace("%", "%%")).toArray(String[]::new);
        line.getCommandSpec().usageMessage().footer(Stream.concat(Arrays.stream(footer), Arrays.stream(state))
                .toArray(String[]::new));
        return line;
    }

    private int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        String message = e.getMessage();
        err.println("error: " + (message.startsWith("Error: ") ? message.substring("Error: ".length()) : message));
        UnmatchedArgumentException.printSuggestions(e, err);
        err.print(command.getHelp().synopsisHeading() + command.getHelp().synopsis(0));
        err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for more.");
        err.flush();
        return EXIT_USAGE;
    }

    private int failure(Exception e, CommandLine command, ParseResult parsed) {
        PrintStream err = context.err();
        if (e instanceof UsageException) {
            err.println("error: " + e.getMessage());
            return EXIT_USAGE;
        }
        if (e instanceof ApiError apiError) {
            err.println("error: " + Problems.describe(apiError));
        } else if (e instanceof IOException || e instanceof UncheckedIOException) {
            err.println("error: " + e.getMessage());
        } else if (e.getMessage() != null && !(e instanceof NullPointerException)) {
            err.println("error: " + e.getMessage());
        } else {
            err.println("error: " + e); // a bug: say what it was
        }
        return EXIT_FAILED;
    }

    /** The launcher's word on standard error, else whether there is an interactive console at all. */
    static boolean errIsTerminal() {
        String told = System.getProperty(STDERR_TERMINAL);
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try { // Java 22+: a console exists also when redirected; isTerminal says whether it is one
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}

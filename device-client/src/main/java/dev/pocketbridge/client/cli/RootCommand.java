package dev.pocketbridge.client.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;

/** {@code pocketbridge-cli}: the commands; without one it is a usage error. */
@Command(name = "pocketbridge-cli", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class,
        description = {"A PocketBridge device on the command line: register it or join your other devices, send"
                + " text and files end-to-end encrypted, listen for events, manage your devices and account."},
        commandListHeading = "%nCommands:%n",
        subcommands = {RegisterCommand.class, PairCommand.class, JoinCommand.class, ListenCommand.class,
            SendCommand.class, DevicesCommand.class, RenameCommand.class, RemoveCommand.class,
            DeleteAccountCommand.class, HelpCommand.class},
        footerHeading = "%n",
        footer = {"Every command takes --server URL and --state FILE; pocketbridge-cli COMMAND --help shows its options.",
            "DEVICE is a device id or the name of one of your devices (see devices).",
            "Exit status: 0 done, 1 failed, 2 wrong command line."})
final class RootCommand {

    private final CliContext context;

    RootCommand(CliContext context) {
        this.context = context;
    }

    CliContext context() {
        return context;
    }

    /** The version from the jar's manifest ({@code Implementation-Version}). */
    static final class Version implements IVersionProvider {

        @Override
        public String[] getVersion() {
            String version = RootCommand.class.getPackage().getImplementationVersion();
            return new String[] {"pocketbridge-cli " + (version == null ? "(development build)" : version)
                    + ", protocol version 1", "Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")"};
        }
    }
}

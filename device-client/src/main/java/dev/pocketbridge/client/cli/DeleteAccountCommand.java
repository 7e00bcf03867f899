package dev.pocketbridge.client.cli;

import java.io.IOException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "delete-account",
        description = {"Delete your account: every device is signed out at once and all its data is erased from the"
                + " server within 60 s; then the state file is deleted.", "Asks you to type delete unless --yes."})
final class DeleteAccountCommand extends CliCommand {

    @Option(names = "--yes", description = "do not ask for confirmation (for scripts)")
    boolean yes;

    @Override
    public Integer call() throws IOException {
        return deviceCommands().deleteAccount(yes);
    }
}

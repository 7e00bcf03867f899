package dev.pocketbridge.client.cli;

import java.io.IOException;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "rename",
        description = "Rename a device: DEVICE (a name or id) to NAME, or this device when only NAME is given.")
final class RenameCommand extends CliCommand {

    @Parameters(index = "0..1", arity = "1..2", paramLabel = "[DEVICE] NAME", hideParamSyntax = true,
            description = "the device (default: this one) and its new name; -- before them lets a name start with -")
    List<String> operands;

    @Override
    public Integer call() throws IOException {
        return deviceCommands().rename(operands);
    }
}

package dev.pocketbridge.client.cli;

import java.io.IOException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "remove",
        description = {"Remove a device: its sessions close and its tokens stop working.",
            "Removing this device asks you to type remove first, then deletes its state file."})
final class RemoveCommand extends CliCommand {

    @Parameters(paramLabel = "DEVICE", description = "the device's name or id")
    String device;

    @Option(names = "--yes", description = "do not ask for confirmation")
    boolean yes;

    @Override
    public Integer call() throws IOException {
        return deviceCommands().remove(device, yes);
    }
}

package dev.pocketbridge.client.cli;

import java.io.IOException;

import picocli.CommandLine.Command;

@Command(name = "devices",
        description = "List your devices: name, type, id, last seen, created, and which one this is.")
final class DevicesCommand extends CliCommand {

    @Override
    public Integer call() throws IOException {
        return deviceCommands().devices();
    }
}

package dev.pocketbridge.client.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** The options every command takes: the server, and this device's state file. */
final class CommonOptions {

    static final String DEFAULT_SERVER = "http://localhost:8080";

    @Option(names = "--server", paramLabel = "URL", defaultValue = DEFAULT_SERVER,
            description = "the PocketBridge gateway (default: ${DEFAULT-VALUE})")
    String server;

    @Option(names = "--state", paramLabel = "FILE",
            description = "this device's state file (default: $" + StateLocation.ENV + ", else " + StateLocation.FILE_NAME
                    + " in the config directory: see pocketbridge-cli --help)")
    Path state;
}

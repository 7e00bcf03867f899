package dev.pocketbridge.client.cli;

import picocli.CommandLine.Option;

/** What a new device says about itself when it registers (register, join). */
final class NewDeviceOptions {

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "this device's name")
    String name;

    @Option(names = "--type", defaultValue = "desktop", paramLabel = "TYPE",
            description = "mobile, desktop or web (default: ${DEFAULT-VALUE})")
    String type;
}

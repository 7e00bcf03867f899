package dev.pocketbridge.client.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import dev.pocketbridge.client.Device;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.client.PocketBridgeApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * A command of {@link RootCommand}: {@code --help}, {@code --version}, the common options and what
 * every command works with.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class)
abstract class CliCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Mixin
    CommonOptions common;

    private Path stateFile;

    CliContext context() {
        return root.context();
    }

    PocketBridgeApi api() {
        return new PocketBridgeApi(common.server);
    }

    /** The state file this run uses (resolved once). */
    Path stateFile() {
        if (stateFile == null) {
            stateFile = context().states().resolve(common.state);
        }
        return stateFile;
    }

    CliState loadState() throws IOException {
        return CliState.load(stateFile());
    }

    /**
     * This device's {@link DeviceLock} for {@code command}, which holds a session, waiting up to
     * {@code patience} for another command of the device to finish. Read the state after taking
     * it, so its {@code device_seq} is the last one saved.
     */
    DeviceLock lockDevice(String command, Duration patience) throws IOException {
        loadState(); // a missing or unreadable state file is said at once, not after a wait
        return DeviceLock.acquire(stateFile(), command, patience, context().err(), System::nanoTime, Reconnecting.SLEEP);
    }

    /** For register and join: a state file that exists already holds a device that must not be lost. */
    void refuseOverwrite() {
        if (Files.exists(stateFile())) {
            throw new UsageException(stateFile() + " already holds a device; use another --state file");
        }
    }

    /** A session of the state's device, tried again for up to {@code patience} while the server is away or busy ({@link Reconnecting}). */
    DeviceSession connect(CliState state, Duration patience) {
        Device device = new Device(api(), state.identity());
        return Reconnecting.connect(device::connect, patience, context().err(), System::nanoTime, Reconnecting.SLEEP);
    }

    DeviceCommands deviceCommands() {
        CliContext c = context();
        return new DeviceCommands(api(), stateFile(), c.in(), c.out(), c.err(), c.clock());
    }
}

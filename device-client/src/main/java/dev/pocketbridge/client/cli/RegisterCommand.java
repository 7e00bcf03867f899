package dev.pocketbridge.client.cli;

import java.io.IOException;

import dev.pocketbridge.client.Device;
import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.crypto.ContentCipher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "register",
        description = "Register a new user with this device as its first device; makes the content key and writes"
                + " the state file.")
final class RegisterCommand extends CliCommand {

    @Mixin
    NewDeviceOptions device;

    @Override
    public Integer call() throws IOException {
        refuseOverwrite();
        DeviceIdentity identity = Device.registerNewUser(api(), device.name, device.type);
        new CliState(identity, ContentCipher.newKey(), 0).save(stateFile());
        context().out().println("registered new user " + identity.userId());
        context().out().println("device " + identity.deviceId() + " (" + device.name + ", " + device.type + "), state in "
                + stateFile());
        return Main.EXIT_OK;
    }
}

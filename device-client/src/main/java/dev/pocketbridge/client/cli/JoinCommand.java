package dev.pocketbridge.client.cli;

import java.io.IOException;

import dev.pocketbridge.client.Device;
import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.PocketBridgeApi;
import dev.pocketbridge.client.crypto.CryptoException;
import dev.pocketbridge.client.crypto.PairingKeyWrap;
import dev.pocketbridge.client.crypto.PairingPhrase;
import dev.pocketbridge.common.codec.Base64Url;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "join",
        description = "Join your user with a code from 'pair' on one of your devices; writes the state file.")
final class JoinCommand extends CliCommand {

    @Option(names = "--code", required = true, paramLabel = "CODE", description = "the code pair printed")
    String code;

    @Mixin
    NewDeviceOptions device;

    @Override
    public Integer call() throws IOException {
        refuseOverwrite();
        PocketBridgeApi api = api();
        PairingPhrase phrase = PairingPhrase.parse(code);
        PocketBridgeApi.PairingLookup lookup = api.lookupPairing(phrase.lookupCode());
        byte[] wrapped = Base64Url.decode(lookup.encryptedPayload())
                .orElseThrow(() -> new CryptoException("pairing payload is not base64url"));
        // Unwrapped before registering, so that a mistyped secret does not leave a device behind.
        byte[] contentKey = PairingKeyWrap.unwrap(phrase.secret(), wrapped);
        DeviceIdentity identity = Device.registerWithPairing(api, lookup, device.name, device.type);
        new CliState(identity, contentKey, 0).save(stateFile());
        context().out().println("joined user " + identity.userId() + " as device " + identity.deviceId()
                + ", state in " + stateFile());
        return Main.EXIT_OK;
    }
}

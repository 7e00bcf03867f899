package dev.pocketbridge.client.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;

import dev.pocketbridge.client.Device;
import dev.pocketbridge.client.PocketBridgeApi;
import dev.pocketbridge.client.crypto.PairingKeyWrap;
import dev.pocketbridge.client.crypto.PairingPhrase;
import dev.pocketbridge.common.codec.Base64Url;
import picocli.CommandLine.Command;

@Command(name = "pair",
        description = "Print a pairing code for a new device (valid 5 minutes, single use): the content key goes"
                + " to it wrapped under a secret that is part of the code and never reaches the server.")
final class PairCommand extends CliCommand {

    @Override
    public Integer call() throws IOException {
        CliState current = loadState();
        String secret = PairingPhrase.newSecret();
        String payload = Base64Url.encode(PairingKeyWrap.wrap(secret, current.contentKey()));
        PocketBridgeApi.Pairing pairing = new Device(api(), current.identity()).createPairing(payload);
        PairingPhrase phrase = new PairingPhrase(pairing.code(), secret);
        PrintStream out = context().out();
        out.println("pairing code: " + phrase.display());
        out.println("on the new device: pocketbridge-cli join --code " + phrase.display() + " --name NAME --state FILE");
        out.println("valid until " + Instant.ofEpochMilli(pairing.expiresAt()) + ", single use");
        return Main.EXIT_OK;
    }
}

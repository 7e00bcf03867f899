package dev.pocketbridge.e2e;

import java.time.Duration;

import dev.pocketbridge.client.Device;
import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.PocketBridgeApi;

/** Users and devices made through the public API only, as real clients make them. */
final class Fixture {

    static final Duration WAIT = Duration.ofSeconds(30);

    private Fixture() {
    }

    static PocketBridgeApi gateway(int node) {
        return new PocketBridgeApi(RunningSystem.get().gateway(node));
    }

    /** A device of a new user, registered through {@code node}. */
    static Device newUser(int node, String name) {
        PocketBridgeApi api = gateway(node);
        return new Device(api, Device.registerNewUser(api, name, "desktop"));
    }

    /** Pairs a new device into {@code existing}'s user (pairing code and token) through {@code node}. */
    static Device pairedWith(Device existing, int node, String name) {
        String code = existing.createPairing("AQIDBA").code();
        PocketBridgeApi api = gateway(node);
        DeviceIdentity identity = Device.registerWithPairing(api, code, name, "mobile");
        return new Device(api, identity);
    }
}

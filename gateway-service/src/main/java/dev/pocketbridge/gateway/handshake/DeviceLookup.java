package dev.pocketbridge.gateway.handshake;

import dev.pocketbridge.common.internal.DeviceCredentials;

/** What device-service said about a device during a handshake. */
public sealed interface DeviceLookup {

    record Found(DeviceCredentials device) implements DeviceLookup {
    }

    record NotFound() implements DeviceLookup {
    }

    /** device-service did not answer usefully; the handshake ends with {@code unavailable} and 1013. */
    record Unavailable() implements DeviceLookup {
    }
}

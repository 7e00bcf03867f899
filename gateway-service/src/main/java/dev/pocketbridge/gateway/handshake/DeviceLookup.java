package dev.pocketbridge.gateway.handshake;

import dev.pocketbridge.common.internal.DeviceCredentials;

/** What device-service said about a device during a handshake. */
public sealed interface DeviceLookup {

    /**
     * @param askedAtNanos when device-service was asked ({@link System#nanoTime()}): an answer kept
     *                     for later handshakes is as old as that
     */
    record Found(DeviceCredentials device, long askedAtNanos) implements DeviceLookup {
    }

    record NotFound() implements DeviceLookup {
    }

    /** device-service did not answer usefully; the handshake ends with {@code unavailable} and 1013. */
    record Unavailable() implements DeviceLookup {
    }
}

package dev.pocketbridge.common.internal;

import java.util.List;

/** The body and answer of event-service's {@link InternalApi#DEVICE_POSITIONS}. */
public final class DevicePositions {

    private DevicePositions() {
    }

    /** A device of a user, by their ids as they appear on the wire. */
    public record UserDevice(String userId, String deviceId) {
    }

    /** The devices whose positions are asked for. */
    public record Query(List<UserDevice> devices) {
    }

    /** Their positions, {@code positions.get(i)} answering {@code devices.get(i)}. */
    public record Answer(List<DevicePosition> positions) {
    }
}

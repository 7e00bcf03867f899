package dev.pocketbridge.common.internal;

import java.util.List;

/** The body and answer of device-service's {@link InternalApi#DEVICE_LOOKUPS}. */
public final class DeviceLookups {

    private DeviceLookups() {
    }

    /** The devices whose credentials are asked for. */
    public record Query(List<String> deviceIds) {
    }

    /** Their credentials, {@code devices.get(i)} answering {@code deviceIds.get(i)}: null when that device is not found. */
    public record Answer(List<DeviceCredentials> devices) {
    }
}

package dev.pocketbridge.device.registry;

import java.util.List;

/** {@code GET /api/v1/devices}: the caller's user's active devices; {@code message} only when there are none. */
record DeviceList(List<DeviceView> devices, int count, boolean isEmpty, String message) {

    static final String EMPTY_MESSAGE = "No active devices: register a device or pair one with an existing device.";

    static DeviceList of(List<DeviceView> devices) {
        return new DeviceList(devices, devices.size(), devices.isEmpty(), devices.isEmpty() ? EMPTY_MESSAGE : null);
    }
}

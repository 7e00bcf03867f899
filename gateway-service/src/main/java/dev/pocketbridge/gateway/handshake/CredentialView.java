package dev.pocketbridge.gateway.handshake;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import dev.pocketbridge.common.kafka.DeviceCredentialsRecord;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Every device's credentials as the compacted {@code devices.credentials} holds them, read from the
 * beginning at every start ({@link CredentialViewListener}), so that the handshake of a device this
 * view holds asks device-service nothing. {@link DeviceDirectory} asks it first.
 *
 * <p><b>Only once caught up.</b> The view answers once it has read the topic up to where the topic
 * ended when this node started: before that it may hold a device's registration and not yet its
 * revocation. Until then, and for a device it does not hold (registered a moment ago, or unknown),
 * the handshake asks device-service.
 *
 * <p><b>Never older than what it applied.</b> Every record carries its change number
 * ({@code change_id}), which grows in commit order for any one device. Per device the view keeps
 * the newest number it applied and ignores a record that is not newer, so a record the outbox sent
 * again after a failure, behind a newer one, cannot bring older credentials back. A removed device
 * keeps its number, without credentials, for the same reason.
 *
 * <p><b>Never older than a change this node heard of.</b> An account change ({@code devices},
 * {@code users}) and the credentials it leaves are written in one transaction but to two topics, so
 * this node may read either first. On a change ({@link #changed}) the view drops the device's
 * credentials and waits for a record newer than the change: a revocation read before its credential
 * record never leaves the active credentials in use. A change or record without a number drops the
 * device from the view for this node's life (it is looked up at device-service).
 *
 * <p>Each credential carries when it was applied ({@link DeviceLookup.Found#askedAtNanos}): a session
 * established on it is closed if its device or user changed since then, as for a lookup's answer.
 */
@Component
class CredentialView {

    /** A device's entry: its credentials (null: gone, or waiting for a record newer than a change) and the newest change number seen. */
    private record Entry(DeviceLookup.Found found, long changeId) {
    }

    static final String DEVICES_METRIC = "pocketbridge.gateway.credentials.devices";
    static final String CAUGHT_UP_METRIC = "pocketbridge.gateway.credentials.caught_up";

    private final ConcurrentHashMap<String, Entry> devices = new ConcurrentHashMap<>();
    private volatile boolean caughtUp;

    CredentialView(MeterRegistry meters) {
        Gauge.builder(DEVICES_METRIC, this, CredentialView::held)
                .description("Devices whose credentials this node's credential view holds").register(meters);
        Gauge.builder(CAUGHT_UP_METRIC, this, view -> view.caughtUp ? 1 : 0)
                .description("1 once the credential view has read devices.credentials up to its end at start-up")
                .register(meters);
    }

    /** The device's credentials, or null when device-service must be asked. */
    DeviceLookup.Found find(String deviceId) {
        if (!caughtUp) {
            return null;
        }
        Entry entry = devices.get(deviceId);
        return entry == null ? null : entry.found();
    }

    /**
     * A record of {@code devices.credentials}: the device's credentials after change {@code changeId},
     * or null once it is gone. Ignored unless newer than everything seen for the device.
     */
    void apply(String deviceId, DeviceCredentialsRecord record, long changeId) {
        devices.compute(deviceId, (id, held) -> held != null && held.changeId() >= changeId ? held
                : new Entry(record == null ? null
                        : new DeviceLookup.Found(DeviceDirectory.kept(record.credentials()), System.nanoTime()), changeId));
    }

    /**
     * device-service changed the device with change number {@code changeId} (empty: unknown): its
     * credentials are not used again until a record newer than the change arrives.
     */
    void changed(String deviceId, OptionalLong changeId) {
        long id = changeId.orElse(Long.MAX_VALUE);
        devices.compute(deviceId, (key, held) -> held != null && held.changeId() > id ? held : new Entry(null, id));
    }

    /**
     * The user was deleted with change number {@code changeId}: every device the change lists (held
     * or not, so no older record of it is applied later), and every device of the user the view
     * holds, listed or not.
     */
    void userDeleted(String userId, List<String> deviceIds, OptionalLong changeId) {
        deviceIds.forEach(deviceId -> changed(deviceId, changeId));
        devices.forEach((deviceId, entry) -> {
            if (entry.found() != null && userId.equals(entry.found().device().userId())) {
                changed(deviceId, changeId);
            }
        });
    }

    void caughtUp() {
        caughtUp = true;
    }

    boolean isCaughtUp() {
        return caughtUp;
    }

    private double held() {
        long held = 0;
        for (Entry entry : devices.values()) {
            if (entry.found() != null) {
                held++;
            }
        }
        return held;
    }
}

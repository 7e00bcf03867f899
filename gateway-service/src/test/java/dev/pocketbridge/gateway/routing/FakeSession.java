package dev.pocketbridge.gateway.routing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * A session of this node for routing and session tests: records the close codes it was given,
 * nothing else. Its device was checked at device-service when it was made.
 */
public record FakeSession(String sessionId, String userId, String deviceId, List<Integer> closes, long checkedAtNanos)
        implements LocalSession {

    public FakeSession(String sessionId, String userId, String deviceId) {
        this(sessionId, userId, deviceId, new CopyOnWriteArrayList<>(), System.nanoTime());
    }

    @Override
    public void deliverLive(ServerFrame.DeliveredEvent event) {
    }

    @Override
    public void deliverOutcome(ServerFrame frame) {
    }

    @Override
    public void drain() {
    }

    @Override
    public int pendingEvents() {
        return 0;
    }

    @Override
    public void close(int closeCode, String reason) {
        closes.add(closeCode);
    }
}

package dev.pocketbridge.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

/** How {@link SessionListener} records the end of a connection. */
class SessionListenerTest {

    private final SessionListener listener = new SessionListener();

    @Test
    void anErrorAfterTheClientsCloseEndsTheSessionWithTheClientsCode() {
        listener.closeSent(1000);
        // what the JDK reports when a server's ping crosses the close: it cannot pong any more
        listener.onError(null, new IOException("Output closed"));

        assertThat(listener.closeCode()).isEqualTo(1000);
        assertThat(listener.closeReason()).startsWith("closed by this client").contains("Output closed");
    }

    @Test
    void anErrorBeforeAnyCloseIsAnAbnormalClosure() {
        listener.onError(null, new IOException("Connection reset"));

        assertThat(listener.closeCode()).isEqualTo(DeviceSession.ABNORMAL_CLOSURE);
        assertThat(listener.closeReason()).contains("Connection reset");
    }

    @Test
    void theServersCloseIsKeptOverALaterError() {
        listener.closeSent(1000);
        listener.onClose(null, 4003, "revoked");
        listener.onError(null, new IOException("Output closed"));

        assertThat(listener.closeCode()).isEqualTo(4003);
        assertThat(listener.closeReason()).isEqualTo("revoked");
    }
}

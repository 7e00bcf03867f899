package dev.pocketbridge.common.protocol;

/** WebSocket close codes of PROTOCOL.md §3.6. */
public final class CloseCodes {

    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int POLICY_VIOLATION = 1008;
    public static final int TOO_BIG = 1009;
    public static final int INTERNAL_ERROR = 1011;
    public static final int TRY_AGAIN_LATER = 1013;
    public static final int SESSION_EXPIRED = 4001;
    public static final int DEVICE_REVOKED = 4003;
    public static final int HANDSHAKE_TIMEOUT = 4008;
    public static final int TOO_MANY_HANDSHAKES = 4029;
    public static final int SUPERSEDED = 4409;

    private CloseCodes() {
    }
}

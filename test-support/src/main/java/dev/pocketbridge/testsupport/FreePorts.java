package dev.pocketbridge.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers a test starts as processes of their own, which bind them a while later. An
 * operating system's "any free port" comes from the ephemeral range, the same range its outgoing
 * connections take their local ports from: between the pick and the bind, a client connection of
 * any process (a Kafka or PostgreSQL client, say) may take it, and the server then fails with "port
 * already in use". These come from below that range (Linux's starts at 32768, Windows' and macOS's
 * at 49152), are checked free on every address, and are handed out once per JVM.
 */
public final class FreePorts {

    private static final int LOW = 20_000;
    private static final int HIGH = 32_768;
    private static final int TRIES = 200;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A port nothing listens on now, not given out before in this JVM. */
    public static int pick() {
        for (int i = 0; i < TRIES; i++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
            if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new UncheckedIOException(new IOException("no free port in " + LOW + "-" + (HIGH - 1) + " after "
                + TRIES + " tries"));
    }

    private static boolean bindable(int port) {
        try (ServerSocket any = new ServerSocket()) {
            any.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            return false;
        }
        try (ServerSocket loopback = new ServerSocket()) {
            loopback.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

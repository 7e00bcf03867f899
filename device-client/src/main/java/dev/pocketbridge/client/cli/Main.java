package dev.pocketbridge.client.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import dev.pocketbridge.client.ApiError;
import dev.pocketbridge.client.AwaitTimeoutException;
import dev.pocketbridge.client.Device;
import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.client.HandshakeException;
import dev.pocketbridge.client.PocketBridgeApi;
import dev.pocketbridge.client.ServerErrorException;
import dev.pocketbridge.client.SessionClosedException;
import dev.pocketbridge.client.crypto.ContentCipher;
import dev.pocketbridge.client.crypto.CryptoException;
import dev.pocketbridge.client.crypto.PairingKeyWrap;
import dev.pocketbridge.client.crypto.PairingPhrase;
import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * {@code pocketbridge-cli}: register a device, pair another one, send and listen, with payloads
 * end-to-end encrypted under the user's content key; list, rename and remove devices, delete the
 * account ({@link DeviceCommands}). Run without arguments for usage.
 */
public final class Main {

    static final String DEFAULT_SERVER = "http://localhost:8080";
    static final String EVENT_TYPE = "text";
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofSeconds(1);
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    private static final Set<String> COMMANDS = Set.of("register", "pair", "join", "listen", "send", "devices",
            "rename", "remove", "delete-account");
    /** The commands that take operands (DEVICE, NAME); the others refuse any. */
    private static final Set<String> TAKE_OPERANDS = Set.of("rename", "remove");

    private static final String USAGE = """
            usage: pocketbridge-cli <command> [options]   (every command takes --server URL, default %s,
                                                             and --state FILE, default %s)
              register --name NAME [--type mobile|desktop|web]   register a new user with this first device
              pair                                               print a pairing code for a new device
              join --code CODE --name NAME [--type TYPE]         join your user with a code from 'pair'
              listen                                             print missed and then live events (Ctrl-C ends)
              send --stream STREAM --text TEXT                   send an encrypted text event, print its seq
              devices                                            list your devices
              rename [DEVICE] NAME                               rename a device (default: this one)
              remove DEVICE [--yes]                              remove a device (this device: asks to confirm first)
              delete-account [--yes]                             delete your account, every device and all data;
                                                                 asks you to type delete unless --yes
            DEVICE is a device id or the name of one of your devices (see 'devices').
            """;

    private final BufferedReader in;
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;

    /** {@code in} answers confirmation questions; {@code clock} (and its zone) shows times. */
    Main(BufferedReader in, PrintStream out, PrintStream err, Clock clock) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    public static void main(String[] args) {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        System.exit(new Main(in, out, err, Clock.systemDefaultZone()).run(args));
    }

    /** Runs one command; returns the exit status. */
    int run(String[] args) {
        if (args.length == 0 || Set.of("-h", "--help", "help").contains(args[0])) {
            out.print(usage());
            return args.length == 0 ? EXIT_USAGE : EXIT_OK;
        }
        try {
            Arguments arguments = Arguments.parse(args);
            String command = arguments.command();
            if (!COMMANDS.contains(command)) {
                throw new UsageException("unknown command " + command);
            }
            if (!TAKE_OPERANDS.contains(command)) {
                arguments.operands(0, 0, null);
            }
            PocketBridgeApi api = new PocketBridgeApi(arguments.option("server", DEFAULT_SERVER));
            Path state = Path.of(arguments.option("state", defaultStateFile().toString()));
            DeviceCommands devices = new DeviceCommands(api, state, in, out, err, clock);
            return switch (command) {
                case "register" -> register(api, state, arguments.require("name"), arguments.option("type", "desktop"));
                case "pair" -> pair(api, state);
                case "join" -> join(api, state, arguments.require("code"), arguments.require("name"),
                        arguments.option("type", "desktop"));
                case "listen" -> listen(api, state);
                case "send" -> send(api, state, arguments.require("stream"), arguments.require("text"));
                case "devices" -> devices.devices();
                case "rename" -> devices.rename(arguments.operands(1, 2, "rename needs the new NAME"));
                case "remove" -> devices.remove(arguments.operands(1, 1, "remove needs the DEVICE (its name or id)")
                        .getFirst(), arguments.flag("yes"));
                case "delete-account" -> devices.deleteAccount(arguments.flag("yes"));
                default -> throw new IllegalStateException("no handler for " + command);
            };
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.print(usage());
            return EXIT_USAGE;
        } catch (ApiError e) {
            err.println("error: " + Problems.describe(e));
            return EXIT_FAILED;
        } catch (HandshakeException | SessionClosedException | AwaitTimeoutException | ServerErrorException
                | CryptoException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return EXIT_FAILED;
        } catch (IOException | UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            return EXIT_FAILED;
        }
    }

    private int register(PocketBridgeApi api, Path state, String name, String type) throws IOException {
        refuseOverwrite(state);
        DeviceIdentity identity = Device.registerNewUser(api, name, type);
        new CliState(identity, ContentCipher.newKey(), 0).save(state);
        out.println("registered new user " + identity.userId());
        out.println("device " + identity.deviceId() + " (" + name + ", " + type + "), state in " + state);
        return EXIT_OK;
    }

    private int pair(PocketBridgeApi api, Path state) throws IOException {
        CliState current = CliState.load(state);
        String secret = PairingPhrase.newSecret();
        String payload = Base64Url.encode(PairingKeyWrap.wrap(secret, current.contentKey()));
        PocketBridgeApi.Pairing pairing = new Device(api, current.identity()).createPairing(payload);
        PairingPhrase phrase = new PairingPhrase(pairing.code(), secret);
        out.println("pairing code: " + phrase.display());
        out.println("on the new device: pocketbridge-cli join --code " + phrase.display() + " --name NAME --state FILE");
        out.println("valid until " + Instant.ofEpochMilli(pairing.expiresAt()) + ", single use");
        return EXIT_OK;
    }

    private int join(PocketBridgeApi api, Path state, String code, String name, String type) throws IOException {
        refuseOverwrite(state);
        PairingPhrase phrase = PairingPhrase.parse(code);
        PocketBridgeApi.PairingLookup lookup = api.lookupPairing(phrase.lookupCode());
        byte[] wrapped = Base64Url.decode(lookup.encryptedPayload())
                .orElseThrow(() -> new CryptoException("pairing payload is not base64url"));
        // Unwrapped before registering, so that a mistyped secret does not leave a device behind.
        byte[] contentKey = PairingKeyWrap.unwrap(phrase.secret(), wrapped);
        DeviceIdentity identity = Device.registerWithPairing(api, lookup, name, type);
        new CliState(identity, contentKey, 0).save(state);
        out.println("joined user " + identity.userId() + " as device " + identity.deviceId() + ", state in " + state);
        return EXIT_OK;
    }

    private int listen(PocketBridgeApi api, Path state) throws IOException {
        CliState current = CliState.load(state);
        DeviceSession session = new Device(api, current.identity()).connect();
        Runtime.getRuntime().addShutdownHook(new Thread(session::close, "pocketbridge-close"));
        ServerFrame.SessionEstablished established = session.established();
        out.println("connected, session " + established.sessionId() + "; acked through " + established.lastAckedSeq()
                + " of " + established.headSeq());
        long last = printAll(session, current, session.replayAll(null), established.lastAckedSeq());
        while (true) {
            ServerFrame frame = session.next(POLL);
            if (frame == null) {
                if (session.isClosed()) {
                    out.println("connection closed: " + session.closeCode() + " " + nullToEmpty(session.closeReason()));
                    return session.closeCode() == 1000 ? EXIT_OK : EXIT_FAILED;
                }
                continue;
            }
            if (frame instanceof ServerFrame.DeliveredEvent event) {
                if (event.seq() > last + 1) {
                    // a gap: live deliveries were skipped, the log has them
                    last = printAll(session, current, session.replayAll(last), last);
                } else {
                    // printAll skips a seq already printed (delivery is at least once)
                    last = printAll(session, current, List.of(event), last);
                }
            } else if (frame instanceof ServerFrame.SessionExpiring expiring) {
                out.println("session expires at " + Instant.ofEpochMilli(expiring.expiresAt()));
            } else if (frame instanceof ServerFrame.Error error) {
                err.println("server error: " + error.code() + " " + error.message());
            }
            // acks and replay pages of other requests: nothing to show
        }
    }

    /** Prints the events above {@code last}, acks the newest, returns the new position. */
    private long printAll(DeviceSession session, CliState state, List<ServerFrame.DeliveredEvent> events, long last) {
        long position = last;
        for (ServerFrame.DeliveredEvent event : events) {
            if (event.seq() <= position) {
                continue;
            }
            out.println(describe(event, state));
            position = event.seq();
        }
        if (position > last) {
            session.ack(position);
        }
        return position;
    }

    static String describe(ServerFrame.DeliveredEvent event, CliState state) {
        String text;
        try {
            byte[] sealed = Base64Url.decode(event.encryptedPayload())
                    .orElseThrow(() -> new CryptoException("payload is not base64url"));
            text = new String(ContentCipher.decrypt(state.contentKey(), sealed,
                    ContentCipher.eventAad(event.streamId(), event.eventType())), StandardCharsets.UTF_8);
        } catch (CryptoException e) {
            text = "<cannot decrypt: " + e.getMessage() + ">";
        }
        String from = event.deviceId() != null && event.deviceId().equals(state.identity().deviceId())
                ? "this device" : event.deviceId();
        return "[" + event.seq() + "] " + event.streamId() + "#" + event.streamSeq() + " " + event.eventType()
                + " from " + from + " at " + Instant.ofEpochMilli(event.createdAt())
                + (event.conflict() ? " (conflict)" : "") + ": " + text;
    }

    private int send(PocketBridgeApi api, Path state, String stream, String text) throws IOException {
        CliState current = CliState.load(state);
        try (DeviceSession session = new Device(api, current.identity()).connect()) {
            session.advanceDeviceSeq(current.lastDeviceSeq());
            byte[] sealed = ContentCipher.encrypt(current.contentKey(), text.getBytes(StandardCharsets.UTF_8),
                    ContentCipher.eventAad(stream, EVENT_TYPE));
            ClientFrame.SendEvent event = session.newEvent(stream, EVENT_TYPE, sealed);
            current.withLastDeviceSeq(event.deviceSeq()).save(state);
            ServerFrame outcome = session.sendAndAwait(event, SEND_TIMEOUT);
            if (outcome instanceof ServerFrame.EventAck ack) {
                out.println("seq " + ack.seq() + " (stream " + stream + " #" + ack.streamSeq() + ", " + ack.status()
                        + (ack.conflict() ? ", conflict" : "") + ")");
                return EXIT_OK;
            }
            ServerFrame.EventRejected rejected = (ServerFrame.EventRejected) outcome;
            err.println("rejected: " + rejected.code() + " " + nullToEmpty(rejected.message())
                    + (rejected.retryAfterMs() == null ? "" : " (retry after " + rejected.retryAfterMs() + " ms)"));
            return EXIT_FAILED;
        }
    }

    // --- arguments --------------------------------------------------------------------------------

    private static void refuseOverwrite(Path state) {
        if (Files.exists(state)) {
            throw new UsageException(state + " already holds a device; use another --state file");
        }
    }

    static Path defaultStateFile() {
        return Path.of(System.getProperty("user.home"), ".pocketbridge", "device.json");
    }

    private static String usage() {
        return USAGE.formatted(DEFAULT_SERVER, defaultStateFile());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** A command line that cannot be run. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}

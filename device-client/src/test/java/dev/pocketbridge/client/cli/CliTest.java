package dev.pocketbridge.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.crypto.ContentCipher;
import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.protocol.ServerFrame;

class CliTest {

    @TempDir
    Path dir;

    private final DeviceIdentity identity = DeviceIdentity.of("0190f5a2-7c3e-7b1a-9f00-3c2d1e0f4a5b",
            "0190f5a2-7c3e-7b1a-9f00-6e5d4c3b2a19", DeviceIdentity.newKeyPair(), "laptop", "desktop");

    @Test
    void stateFileRoundTripsIdentityContentKeyAndDeviceSeq() throws Exception {
        CliState state = new CliState(identity, ContentCipher.newKey(), 0).withLastDeviceSeq(41);
        Path file = dir.resolve("state.json");

        state.save(file);
        CliState loaded = CliState.load(file);

        assertThat(loaded.identity()).isEqualTo(identity);
        assertThat(loaded.contentKey()).isEqualTo(state.contentKey());
        assertThat(loaded.lastDeviceSeq()).isEqualTo(41);
        assertThat(loaded.withLastDeviceSeq(3).lastDeviceSeq()).isEqualTo(41);
    }

    @Test
    void describesAReceivedEventDecrypted() {
        CliState state = new CliState(identity, ContentCipher.newKey(), 0);
        byte[] sealed = ContentCipher.encrypt(state.contentKey(), "hello".getBytes(StandardCharsets.UTF_8),
                ContentCipher.eventAad("notes", SendCommand.TEXT));
        ServerFrame.DeliveredEvent event = new ServerFrame.DeliveredEvent(7, "e", "other-device", 3, "notes", 2,
                SendCommand.TEXT, Base64Url.encode(sealed), null, 0L, false);

        assertThat(ListenCommand.describe(event, state)).startsWith("[7] notes#2 text from other-device").endsWith(": hello");
    }

    @Test
    void anEventUnderAnotherKeyIsShownAsUndecryptable() {
        CliState state = new CliState(identity, ContentCipher.newKey(), 0);
        byte[] sealed = ContentCipher.encrypt(ContentCipher.newKey(), new byte[3]);
        ServerFrame.DeliveredEvent event = new ServerFrame.DeliveredEvent(1, "e", identity.deviceId(), 1, "s", 1,
                "text", Base64Url.encode(sealed), null, 0L, false);

        assertThat(ListenCommand.describe(event, state)).contains("this device", "<cannot decrypt");
    }

    @Test
    void helpListsEveryCommandAndEachCommandHasItsOwn() {
        Result root = run("--help");
        assertThat(root.status()).isZero();
        assertThat(root.out()).contains("Usage: pocketbridge-cli", "Commands:", "State file: --state FILE, else $POCKETBRIDGE_STATE, else");
        for (String command : List.of("register", "pair", "join", "listen", "send", "devices", "rename", "remove",
                "delete-account")) {
            assertThat(root.out()).contains("  " + command + " ");
            Result help = run(command, "--help");
            assertThat(help.status()).as(command).isZero();
            assertThat(help.out()).as(command).startsWith("Usage: pocketbridge-cli " + command).contains("--state=FILE");
        }
        assertThat(run("send", "--help").out()).contains("--file=PATH", "--text=TEXT", "--stream=STREAM");
        assertThat(run("listen", "--help").out()).contains("--save-dir=DIR");
        assertThat(run("help", "send").out()).startsWith("Usage: pocketbridge-cli send");
        assertThat(run("--version").out()).startsWith("pocketbridge-cli ");
        assertThat(run("send", "--version").out()).startsWith("pocketbridge-cli ");
    }

    @Test
    void aWrongCommandLineIsExitStatus2WithTheReasonOnStandardError() {
        assertUsageError(run(), "error: Missing required subcommand");
        assertUsageError(run("sendd"), "error: Unmatched argument at index 0: 'sendd'");
        assertThat(run("sendd").err()).contains("Did you mean: pocketbridge-cli send");
        assertUsageError(run("send", "--colour", "red"), "error: Unknown options: '--colour', 'red'");
        assertUsageError(run("send", "--text"), "error: Missing required parameter for option '--text' (TEXT)");
        assertUsageError(run("send", "--text", "a", "--file", "b"), "error: --text=TEXT, --file=PATH are mutually exclusive");
        assertUsageError(run("send"), "error: Missing required argument (specify one of these): (--text=TEXT | --file=PATH)");
        Result missing = run("register", "--state", dir.resolve("s.json").toString());
        assertUsageError(missing, "error: Missing required option: '--name=NAME'");
        assertThat(missing.err()).contains("Usage: pocketbridge-cli register", "Run 'pocketbridge-cli register --help'");
        assertThat(missing.out()).isEmpty();
    }

    @Test
    void registeringOverAnExistingStateFileIsAUsageErrorAndLeavesItAsItWas() throws Exception {
        Path file = dir.resolve("s.json");
        new CliState(identity, ContentCipher.newKey(), 5).save(file);
        String before = Files.readString(file);

        Result result = run("register", "--name", "x", "--server", "http://127.0.0.1:9", "--state", file.toString());

        assertUsageError(result, "error: " + file + " already holds a device; use another --state file");
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void aFailureIsExitStatus1InPlainWords() {
        Result result = run("devices", "--state", dir.resolve("none.json").toString());

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: no state file " + dir.resolve("none.json")
                + " (run register or join first)\n");
    }

    private static void assertUsageError(Result result, String firstLine) {
        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).startsWith(firstLine);
        assertThat(result.err()).endsWith("\n");
    }

    private record Result(int status, String out, String err) {
    }

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Main(new BufferedReader(new StringReader("")), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC()).run(args);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}

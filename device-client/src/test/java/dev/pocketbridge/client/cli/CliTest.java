package dev.pocketbridge.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

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
                ContentCipher.eventAad("notes", Main.EVENT_TYPE));
        ServerFrame.DeliveredEvent event = new ServerFrame.DeliveredEvent(7, "e", "other-device", 3, "notes", 2,
                Main.EVENT_TYPE, Base64Url.encode(sealed), null, 0L, false);

        assertThat(Main.describe(event, state)).startsWith("[7] notes#2 text from other-device").endsWith(": hello");
    }

    @Test
    void anEventUnderAnotherKeyIsShownAsUndecryptable() {
        CliState state = new CliState(identity, ContentCipher.newKey(), 0);
        byte[] sealed = ContentCipher.encrypt(ContentCipher.newKey(), new byte[3]);
        ServerFrame.DeliveredEvent event = new ServerFrame.DeliveredEvent(1, "e", identity.deviceId(), 1, "s", 1,
                "text", Base64Url.encode(sealed), null, 0L, false);

        assertThat(Main.describe(event, state)).contains("this device", "<cannot decrypt");
    }

    @Test
    void parsesOptionsAndRefusesUnknownOnes() {
        assertThat(Arguments.parse(new String[] {"send", "--stream", "s", "--text=a b", "--state", "f"}).options())
                .containsEntry("stream", "s").containsEntry("text", "a b").containsEntry("state", "f");
        assertThatThrownBy(() -> Arguments.parse(new String[] {"send", "--colour", "red"}))
                .isInstanceOf(Main.UsageException.class);
        assertThatThrownBy(() -> Arguments.parse(new String[] {"send", "--text"}))
                .isInstanceOf(Main.UsageException.class);
    }

    @Test
    void parsesFlagsAndOperandsAndTakesEverythingAfterDoubleDashAsOperands() {
        Arguments arguments = Arguments.parse(new String[] {"rename", "phone", "--yes", "--state", "f", "--",
                "--odd name", "--yes"});

        assertThat(arguments.command()).isEqualTo("rename");
        assertThat(arguments.operands()).containsExactly("phone", "--odd name", "--yes");
        assertThat(arguments.flag("yes")).isTrue();
        assertThat(arguments.option("state", null)).isEqualTo("f");
        assertThatThrownBy(() -> Arguments.parse(new String[] {"remove", "--yes=no"}))
                .isInstanceOf(Main.UsageException.class).hasMessage("--yes takes no value");
        assertThatThrownBy(() -> arguments.operands(1, 2, "needs NAME"))
                .isInstanceOf(Main.UsageException.class).hasMessage("unexpected argument --yes");
        assertThatThrownBy(() -> Arguments.parse(new String[] {"remove"}).operands(1, 1, "remove needs the DEVICE"))
                .isInstanceOf(Main.UsageException.class).hasMessage("remove needs the DEVICE");
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main main = new Main(new BufferedReader(new StringReader("")), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err), Clock.systemUTC());

        int status = main.run(new String[] {"register", "--state", dir.resolve("s.json").toString()});

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--name is required");
    }
}

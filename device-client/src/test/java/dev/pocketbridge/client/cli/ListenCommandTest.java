package dev.pocketbridge.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.client.FakeGateway;
import dev.pocketbridge.client.crypto.ContentCipher;

/** {@code listen}'s session loop against {@link FakeGateway}: a lost connection is made again, even mid-replay. */
class ListenCommandTest {

    private final DeviceIdentity identity = DeviceIdentity.of("0190f5a2-7c3e-7b1a-9f00-3c2d1e0f4a5b",
            "0190f5a2-7c3e-7b1a-9f00-6e5d4c3b2a19", DeviceIdentity.newKeyPair(), "laptop", "desktop");

    @Test
    void aConnectionLostDuringTheReplayIsMadeAgainAndTheReplayIsRepeated() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (FakeGateway gateway = new FakeGateway(identity.publicKey())) {
            // The first replay loses its connection when it asks for its second page; the second
            // replay gets all three events, and the ack of the last is answered with a normal close.
            gateway.dropsDuringReplay.set(1);
            gateway.closeNormallyOnAck = 3;
            exit = new ListenCommand().listen(new CliState(identity, ContentCipher.newKey(), 0),
                    () -> DeviceSession.connect(gateway.uri(), identity), print(out), print(err));
            assertThat(gateway.received).filteredOn(frame -> frame.get("type").asString().equals("client_hello"))
                    .hasSize(2);
        }

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(exit).isEqualTo(Main.EXIT_OK);
        assertThat(lines).filteredOn(line -> line.startsWith("connected, session")).hasSize(2);
        assertThat(lines).filteredOn(line -> line.startsWith("connection closed: 1006"))
                .singleElement().asString().endsWith("; connecting again");
        // Each event once, in order: the page handled before the loss was acked, and the replay
        // after it does not show its events again.
        assertThat(lines).filteredOn(line -> line.startsWith("["))
                .extracting(line -> line.substring(0, line.indexOf(']') + 1)).containsExactly("[1]", "[2]", "[3]");
        assertThat(lines.getLast()).startsWith("connection closed: 1000");
    }

    @Test
    void aReplayIsHandledAndAckedAPageAtATime() throws Exception {
        try (FakeGateway gateway = new FakeGateway(identity.publicKey())) {
            gateway.closeNormallyOnAck = 3;
            new ListenCommand().listen(new CliState(identity, ContentCipher.newKey(), 0),
                    () -> DeviceSession.connect(gateway.uri(), identity), print(new ByteArrayOutputStream()),
                    print(new ByteArrayOutputStream()));

            // The first page's events are acked before the second page is asked for: a catch-up holds
            // one page, and one cut short resumes after the last page handled.
            assertThat(gateway.received).extracting(frame -> frame.get("type").asString()
                            + (frame.has("seq") ? " " + frame.get("seq").asLong() : "")
                            + (frame.has("continuation_token") ? " " + frame.get("continuation_token").asString() : ""))
                    .containsSubsequence("replay_request", "ack 2", "replay_request page-2", "ack 3");
        }
    }

    @Test
    void aReplayPageThatDoesNotComeIsTakenForALostConnection() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit;
        try (FakeGateway gateway = new FakeGateway(identity.publicKey())) {
            gateway.silencesDuringReplay.set(1);
            gateway.closeNormallyOnAck = 3;
            ListenCommand listen = new ListenCommand();
            listen.replayTimeout = Duration.ofSeconds(1);
            exit = listen.listen(new CliState(identity, ContentCipher.newKey(), 0),
                    () -> DeviceSession.connect(gateway.uri(), identity), print(out), print(new ByteArrayOutputStream()));
        }

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(exit).isEqualTo(Main.EXIT_OK);
        assertThat(lines).contains("no replay page within 1 s; connecting again");
        assertThat(lines).filteredOn(line -> line.startsWith("connected, session")).hasSize(2);
        assertThat(lines).filteredOn(line -> line.startsWith("["))
                .extracting(line -> line.substring(0, line.indexOf(']') + 1)).containsExactly("[1]", "[2]", "[3]");
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}

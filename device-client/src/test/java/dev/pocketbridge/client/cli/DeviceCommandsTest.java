package dev.pocketbridge.client.cli;

import static dev.pocketbridge.client.FakeRestApi.DEVICE_ID;
import static dev.pocketbridge.client.FakeRestApi.USER_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.pocketbridge.client.ApiError;
import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.FakeRestApi;
import dev.pocketbridge.client.PocketBridgeApi;
import dev.pocketbridge.client.crypto.ContentCipher;

/**
 * {@code devices}, {@code rename}, {@code remove} and {@code delete-account} run through {@link Main}
 * against {@link FakeRestApi}, with confirmations answered on a given standard input.
 */
class DeviceCommandsTest {

    private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String PHONE_ID = "0190f5a2-7c3e-7b1a-9f00-00000000beef";
    private static final String TABLET_ID = "0190f5a2-7c3e-7b1a-9f00-00000000cafe";

    @TempDir
    Path dir;

    private FakeRestApi server;
    private Path state;
    private CliState saved;

    private record Result(int status, String out, String err) {
    }

    @BeforeEach
    void start() throws Exception {
        server = new FakeRestApi();
        server.devices(List.of(
                FakeRestApi.device(DEVICE_ID, "laptop", "desktop", true, NOW.minusSeconds(20).toEpochMilli(),
                        Instant.parse("2026-01-01T09:30:00Z").toEpochMilli()),
                FakeRestApi.device(PHONE_ID, "phone", "mobile", false, NOW.minus(Duration.ofMinutes(5)).toEpochMilli(),
                        Instant.parse("2026-01-02T10:00:00Z").toEpochMilli()),
                FakeRestApi.device(TABLET_ID, "Küchen-Tablet", "mobile", false, null,
                        Instant.parse("2026-01-03T11:15:00Z").toEpochMilli())));
        state = dir.resolve("laptop.json");
        DeviceIdentity identity = DeviceIdentity.of(USER_ID, DEVICE_ID, DeviceIdentity.newKeyPair(), "laptop",
                "desktop");
        saved = new CliState(identity, ContentCipher.newKey(), 17);
        saved.save(state);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Runs {@code args} (the command first) with {@code --server} and {@code --state} and {@code stdin} as input. */
    private Result run(String stdin, String... args) {
        List<String> full = new ArrayList<>(
                List.of(args[0], "--server", server.baseUrl(), "--state", state.toString()));
        full.addAll(List.of(args).subList(1, args.length));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Main(new BufferedReader(new StringReader(stdin)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                CLOCK).run(full.toArray(String[]::new));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private List<String> deviceIds() {
        return server.devices().stream().map(PocketBridgeApi.DeviceInfo::deviceId).toList();
    }

    // --- devices ------------------------------------------------------------------------------------

    @Test
    void devicesPrintsATableWithLastSeenCreatedAndThisDeviceMarked() {
        Result result = run("", "devices");

        assertThat(result.status()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).isEqualTo("""
                NAME           TYPE     ID                                    LAST SEEN  CREATED
                laptop         desktop  0190f5a2-7c3e-7b1a-9f00-6e5d4c3b2a19  online     2026-01-01 09:30  (this device)
                phone          mobile   0190f5a2-7c3e-7b1a-9f00-00000000beef  5 min ago  2026-01-02 10:00
                Küchen-Tablet  mobile   0190f5a2-7c3e-7b1a-9f00-00000000cafe  never      2026-01-03 11:15
                """);
    }

    @Test
    void anEmptyListShowsTheServersMessage() {
        server.devices(List.of());

        Result result = run("", "devices");

        assertThat(result.status()).isZero();
        assertThat(result.out()).isEqualTo(FakeRestApi.EMPTY_MESSAGE + "\n");
    }

    @Test
    void lastSeenIsSaidTheWayAPersonWould() {
        assertThat(lastSeen(false, null)).isEqualTo("never");
        assertThat(lastSeen(true, Duration.ofDays(30))).isEqualTo("online");
        assertThat(lastSeen(false, Duration.ofSeconds(59))).isEqualTo("just now");
        assertThat(lastSeen(false, Duration.ofSeconds(-30))).isEqualTo("just now"); // the server's clock is ahead
        assertThat(lastSeen(false, Duration.ofMinutes(5).plusSeconds(50))).isEqualTo("5 min ago");
        assertThat(lastSeen(false, Duration.ofMinutes(59))).isEqualTo("59 min ago");
        assertThat(lastSeen(false, Duration.ofMinutes(60))).isEqualTo("1 h ago");
        assertThat(lastSeen(false, Duration.ofHours(23))).isEqualTo("23 h ago");
        assertThat(lastSeen(false, Duration.ofHours(25))).isEqualTo("1 day ago");
        assertThat(lastSeen(false, Duration.ofDays(6))).isEqualTo("6 days ago");
        assertThat(lastSeen(false, Duration.ofDays(8))).isEqualTo("2026-01-02");
    }

    private static String lastSeen(boolean online, Duration ago) {
        return DeviceTable.lastSeen(FakeRestApi.device("d", "n", "web", online,
                ago == null ? null : NOW.minus(ago).toEpochMilli(), 0), CLOCK);
    }

    // --- rename -------------------------------------------------------------------------------------

    @Test
    void renameWithOnlyANameRenamesThisDeviceAndKeepsTheStateFileInStep() throws Exception {
        Result result = run("", "rename", "  work laptop ");

        assertThat(result.status()).isZero();
        assertThat(result.out()).isEqualTo("renamed \"laptop\" to \"work laptop\" (this device, " + DEVICE_ID + ")\n");
        assertThat(server.last("PATCH", "/api/v1/devices/" + DEVICE_ID).orElseThrow().body().get("device_name")
                .asString()).isEqualTo("  work laptop ");
        CliState after = CliState.load(state);
        assertThat(after.identity().deviceName()).isEqualTo("work laptop");
        assertThat(after.identity().seed()).isEqualTo(saved.identity().seed());
        assertThat(after.contentKey()).isEqualTo(saved.contentKey());
        assertThat(after.lastDeviceSeq()).isEqualTo(17);
    }

    @Test
    void renameFindsAnotherDeviceByItsNameAsTheServerComparesNamesWithOneToken() throws Exception {
        Result result = run("", "rename", " KÜCHEN-tablet\u00a0", "kitchen");

        assertThat(result.status()).isZero();
        assertThat(result.out()).isEqualTo("renamed \"Küchen-Tablet\" to \"kitchen\" (device " + TABLET_ID + ")\n");
        assertThat(server.devices()).extracting(PocketBridgeApi.DeviceInfo::deviceName)
                .containsExactly("laptop", "phone", "kitchen");
        assertThat(server.count("POST", "/api/v1/auth/token")).isEqualTo(1);
        assertThat(CliState.load(state).identity().deviceName()).isEqualTo("laptop");
    }

    @Test
    void renameFindsADeviceByItsId() {
        Result result = run("", "rename", PHONE_ID, "old phone");

        assertThat(result.status()).isZero();
        assertThat(server.devices().get(1).deviceName()).isEqualTo("old phone");
    }

    @Test
    void anUnknownDeviceIsAClearErrorAndChangesNothing() {
        Result result = run("", "rename", "toaster", "kitchen");

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: none of your devices is named or has the id \"toaster\""
                + " (pocketbridge-cli devices lists them)\n");
        assertThat(server.count("PATCH", "/api/v1/devices/" + TABLET_ID)).isZero();
    }

    @Test
    void aReferenceMatchingOneDevicesNameAndAnothersIdIsAmbiguous() {
        server.devices(List.of(FakeRestApi.device(DEVICE_ID, "laptop", "desktop", true, null, 0),
                FakeRestApi.device(PHONE_ID, TABLET_ID, "mobile", false, null, 0),
                FakeRestApi.device(TABLET_ID, "tablet", "mobile", false, null, 0)));

        Result result = run("", "remove", TABLET_ID);

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: \"" + TABLET_ID + "\" matches more than one device: ")
                .contains(PHONE_ID, "\"tablet\"").endsWith("; give the device id\n");
        assertThat(deviceIds()).hasSize(3);
    }

    @Test
    void namesCollideLikeTheServersNameKey() {
        assertThat(DeviceCommands.nameKey("STRASSE")).isEqualTo(DeviceCommands.nameKey("\u00a0straße "));
        assertThat(DeviceCommands.nameKey("Cafe\u0301")).isEqualTo(DeviceCommands.nameKey("CAFÉ"));
        assertThat(DeviceCommands.nameKey("a\u200bb")).isEqualTo("ab");
        assertThatThrownBy(() -> DeviceCommands.resolve(List.of(), "x")).isInstanceOf(IllegalArgumentException.class);
    }

    // --- remove -------------------------------------------------------------------------------------

    @Test
    void removingAnotherDeviceAsksNothingAndKeepsThisDevicesState() {
        Result result = run("", "remove", "phone");

        assertThat(result.status()).isZero();
        assertThat(result.out()).isEqualTo("removed \"phone\" (" + PHONE_ID
                + "): its sessions are closed and its tokens no longer work\n");
        assertThat(deviceIds()).containsExactly(DEVICE_ID, TABLET_ID);
        assertThat(state).exists();
    }

    @Test
    void removingThisDeviceAsksAndDeletesTheStateFileOnceConfirmed() throws IOException {
        Files.createFile(DeviceLock.lockFile(state)); // left by an earlier send or listen
        Result result = run("remove\n", "remove", "laptop");

        assertThat(result.status()).isZero();
        assertThat(result.out()).contains("\"laptop\" (" + DEVICE_ID + ") is this device.",
                "can never sign in again", "Type remove to confirm: ",
                "removed this device, \"laptop\" (" + DEVICE_ID + "); its identity is useless now, deleted " + state,
                "join with a pairing code from another of your devices");
        assertThat(result.out()).doesNotContain("only device");
        assertThat(deviceIds()).containsExactly(PHONE_ID, TABLET_ID);
        assertThat(state).doesNotExist();
        assertThat(DeviceLock.lockFile(state)).doesNotExist();
        // a fresh token after the question, which may have waited longer than the first one lives
        assertThat(server.count("POST", "/api/v1/auth/token")).isEqualTo(2);
    }

    @Test
    void removingThisDeviceIsAbortedByAnyOtherAnswerOrByTheEndOfInput() {
        for (String stdin : List.of("y\n", "")) {
            Result result = run(stdin, "remove", DEVICE_ID);

            assertThat(result.status()).isEqualTo(1);
            assertThat(result.out()).contains("Type remove to confirm: ");
            assertThat(result.err())
                    .isEqualTo("aborted: nothing was removed (type remove to confirm, or pass --yes)\n");
            assertThat(server.count("DELETE", "/api/v1/devices/" + DEVICE_ID)).isZero();
            assertThat(state).exists();
        }
    }

    @Test
    void removingThisDeviceWithYesAsksNothing() {
        Result result = run("", "remove", "laptop", "--yes");

        assertThat(result.status()).isZero();
        assertThat(result.out()).doesNotContain("Type remove").contains("removed this device");
        assertThat(state).doesNotExist();
        assertThat(server.count("POST", "/api/v1/auth/token")).isEqualTo(1);
    }

    @Test
    void removingTheOnlyDeviceSaysNothingWillReachTheAccount() {
        server.devices(List.of(FakeRestApi.device(DEVICE_ID, "laptop", "desktop", true, null, 0)));

        Result result = run("REMOVE\n", "remove", "laptop");

        assertThat(result.status()).isZero();
        assertThat(result.out()).contains("It is your only device", "use delete-account");
        assertThat(state).doesNotExist();
    }

    // --- delete-account -----------------------------------------------------------------------------

    @Test
    void deleteAccountExplainsAsksForTheWordAndRemovesTheLocalIdentity() throws IOException {
        Files.createFile(DeviceLock.lockFile(state)); // left by an earlier send or listen
        Result result = run("delete\n", "delete-account");

        assertThat(result.status()).isZero();
        assertThat(result.out()).isEqualTo("""
                This deletes your PocketBridge account (user %s) for good:
                  every device of the account, this one included, is signed out at once;
                  all its data on the server (devices, events, pairing codes) is erased within 60 s.
                Type delete to confirm: account deletion started (deletion_started): every device is signed out, \
                and all data is erased within 60 s
                deleted %s: this device's identity is useless now
                """.formatted(USER_ID, state));
        assertThat(server.userDeleted()).isTrue();
        assertThat(state).doesNotExist();
        assertThat(DeviceLock.lockFile(state)).doesNotExist();
    }

    @Test
    void deleteAccountIsAbortedByAnythingButTheWord() {
        for (String stdin : List.of("yes\n", "", "\n")) {
            Result result = run(stdin, "delete-account");

            assertThat(result.status()).isEqualTo(1);
            assertThat(result.err())
                    .isEqualTo("aborted: nothing was deleted (type delete to confirm, or pass --yes)\n");
        }
        assertThat(server.count("DELETE", "/api/v1/user")).isZero();
        assertThat(server.userDeleted()).isFalse();
        assertThat(state).exists();
    }

    @Test
    void deleteAccountWithYesAsksNothing() {
        Result result = run("", "delete-account", "--yes");

        assertThat(result.status()).isZero();
        assertThat(result.out()).doesNotContain("Type delete").startsWith("account deletion started");
        assertThat(server.userDeleted()).isTrue();
        assertThat(state).doesNotExist();
    }

    // --- errors -------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            401 | unauthorized      |    | error: the server did not accept this device's access token (unauthorized, request_id req-401)
            403 | forbidden         |    | error: this device is not allowed to do that (forbidden, request_id req-403)
            404 | not_found         |    | error: no such device (not_found, request_id req-404)
            409 | device_name_taken |    | error: another of your devices already has that name (device_name_taken, request_id req-409)
            429 | rate_limited      | 30 | error: too many requests; try again in 30 s (rate_limited, request_id req-429)
            503 | unavailable       | 5  | error: the server is unavailable right now; try again in 5 s (unavailable, request_id req-503)
            """)
    void aProblemAnswerIsOneLineInPlainWordsWithItsCode(int status, String code, Long retryAfter, String line) {
        String detail = code.equals("not_found") ? "no such device" : "detail\nover two lines";
        server.failNext("PATCH", "/api/v1/devices/" + PHONE_ID, status, code, detail, retryAfter);

        Result result = run("", "rename", "phone", "old phone");

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).isEqualTo(line + "\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void aDeviceTheServerNoLongerAcceptsIsSaidSoAndTheFailedDeletionKeepsTheState() {
        server.failNext("POST", "/api/v1/auth/token", 401, "authentication_failed", "authentication failed", null);

        Result result = run("", "delete-account", "--yes");

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: the server no longer accepts this device: it was removed or"
                + " revoked, or its account was deleted (authentication_failed, request_id req-401)\n");
        assertThat(state).exists();
    }

    @Test
    void aFailedRemovalOfThisDeviceKeepsTheState() {
        server.failNext("DELETE", "/api/v1/devices/" + DEVICE_ID, 503, "unavailable", "device-service is down", 3L);

        Result result = run("", "remove", "laptop", "--yes");

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).isEqualTo(
                "error: the server is unavailable right now; try again in 3 s (unavailable, request_id req-503)\n");
        assertThat(result.out()).doesNotContain("removed");
        assertThat(state).exists();
    }

    @Test
    void anAnswerThatIsNoProblemDetailsIsSaidByItsStatus() {
        ApiError error = ApiError.fromResponse(502, "<html>\n<b>Bad Gateway</b>\n</html>", "hdr-1", null);

        assertThat(Problems.describe(error))
                .isEqualTo("the server is unavailable right now (HTTP 502, request_id hdr-1)");
        assertThat(Problems.describe(ApiError.fromResponse(400, "{\"code\":\"invalid_request\",\"detail\":"
                + "\"device_name must be 1 to 50 characters\"}", null, null)))
                .isEqualTo("the server refused the request: device_name must be 1 to 50 characters (invalid_request)");
    }

    @Test
    void wrongOperandsAreUsageErrors() {
        assertThat(run("", "remove").err()).startsWith("error: Missing required parameter: 'DEVICE'\nUsage:");
        assertThat(run("", "rename").err()).startsWith("error: Missing required parameter: '[DEVICE] NAME'\n");
        assertThat(run("", "rename", "a", "b", "c").err()).startsWith("error: Unmatched argument at index 7: 'c'\n");
        assertThat(run("", "devices", "all").err()).startsWith("error: Unmatched argument at index 5: 'all'\n");
        Result result = run("", "delete-account", "--yes=please");
        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).startsWith("error: Invalid value for option '--yes': 'please' is not a boolean\n");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aNameThatStartsWithDashesFollowsDoubleDash() {
        Result result = run("", "rename", "--", "phone", "--odd name");

        assertThat(result.status()).isZero();
        assertThat(result.out()).startsWith("renamed \"phone\" to \"--odd name\"");
    }
}

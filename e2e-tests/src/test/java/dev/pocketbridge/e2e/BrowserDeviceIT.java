package dev.pocketbridge.e2e;

import static dev.pocketbridge.e2e.Fixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import dev.pocketbridge.client.Device;
import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.client.PocketBridgeApi;
import dev.pocketbridge.client.crypto.ContentCipher;
import dev.pocketbridge.client.crypto.PairingKeyWrap;
import dev.pocketbridge.client.crypto.PairingPhrase;
import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.protocol.ServerFrame.DeliveredEvent;
import dev.pocketbridge.common.protocol.ServerFrame.EventAck;
import dev.pocketbridge.testsupport.ExternalTools;
import tools.jackson.databind.JsonNode;

/**
 * The browser device at {@code /app/} in a real headless Chromium (Debian's chromium and
 * chromedriver), against the running system: it joins a Java device's user with the Java client's
 * pairing code, the two exchange encrypted text and files both ways, the browser catches up after
 * losing the network and after being closed, and a Java device joins with the browser's pairing
 * code. Also checks the page's handshake code against the protocol vectors, and writes the
 * screenshot of docs/images/browser-device.png. Skipped without chromium (failed when CI is set).
 */
class BrowserDeviceIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String TEXT_STREAM = "clipboard";
    private static final String FILE_STREAM = "files";
    private static final int CHUNK_BYTES = 512 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private static ChromeDriver browser;
    private static String app;

    @BeforeAll
    static void start() {
        requireInstalled(CHROMIUM, "chromium");
        requireInstalled(CHROMEDRIVER, "chromium-driver");
        app = RunningSystem.get().gateway(0) + "/app/";
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toString())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1280,1000", "--lang=en-US", "--force-prefers-reduced-motion");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void thePagesHandshakeReproducesTheProtocolVectors() throws Exception {
        browser.get(app);
        String vectors = Files.readString(RunningSystem.root().resolve("common-lib/src/test/resources/protocol-vectors.json"));
        Object result = browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/app/js/selfcheck.js')
                    .then((m) => m.checkVectors(JSON.parse(arguments[0])))
                    .then((r) => done(JSON.stringify(r)), (e) => done(JSON.stringify({ ok: false, failures: [String(e)] })));
                """, vectors);
        JsonNode check = Json.mapper().readTree(String.valueOf(result));
        assertThat(check.get("failures").toString()).isEqualTo("[]");
        assertThat(check.get("ok").asBoolean()).isTrue();
    }

    @Test
    void aBrowserPairsWithAJavaDeviceBothWaysExchangesTextAndFilesAndCatchesUpAfterBeingAway() throws Exception {
        PocketBridgeApi api = Fixture.gateway(0);
        Device laptop = Fixture.newUser(0, "laptop");
        byte[] contentKey = ContentCipher.newKey();

        // The browser joins with the Java client's pairing code (typed as a person might: lower case).
        String secret = PairingPhrase.newSecret();
        PocketBridgeApi.Pairing pairing = laptop.createPairing(Base64Url.encode(PairingKeyWrap.wrap(secret, contentKey)));
        String code = new PairingPhrase(pairing.code(), secret).display();
        browser.manage().deleteAllCookies();
        browser.get(app);
        browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "import('/app/js/store.js').then((s) => s.clearAll()).then(() => done(), () => done());");
        browser.navigate().refresh();
        waitUntil(() -> browser.findElement(By.id("setup")).isDisplayed());
        type(By.id("join-code"), code.toLowerCase());
        type(By.id("join-name"), "browser");
        browser.findElement(By.id("join-button")).click();
        awaitConnected();

        PocketBridgeApi.DeviceInfo browserDevice = laptop.listDevices().devices().stream()
                .filter(d -> d.deviceName().equals("browser")).findFirst().orElseThrow();
        assertThat(browserDevice.deviceType()).isEqualTo("web");
        String browserId = browserDevice.deviceId();

        try (DeviceSession session = laptop.connect()) {
            // Java → browser: text, live
            sendText(session, contentKey, "hello from java");
            awaitEventText("hello from java");

            // browser → Java: text, sent from the keyboard (Ctrl+Enter)
            WebElement input = browser.findElement(By.id("text-input"));
            input.sendKeys("hello from the browser");
            input.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
            DeliveredEvent text = session.await(DeliveredEvent.class, e -> browserId.equals(e.deviceId()), WAIT);
            assertThat(text.eventType()).isEqualTo("text");
            assertThat(new String(open(contentKey, text), StandardCharsets.UTF_8)).isEqualTo("hello from the browser");
            session.ack(text.seq());

            // Java → browser: a file of two chunks, put together and checked by the browser
            byte[] report = new byte[CHUNK_BYTES + 90_000];
            RANDOM.nextBytes(report);
            for (byte[] chunk : fileChunks("reports/../report.bin", report)) {
                assertThat(session.sendAndAwait(session.newEvent(FILE_STREAM, "file",
                        ContentCipher.encrypt(contentKey, chunk, ContentCipher.eventAad(FILE_STREAM, "file"))), WAIT))
                        .isInstanceOf(EventAck.class);
            }
            waitUntil(() -> browser.findElements(By.cssSelector("#events li[data-kind=file] a.file-link")).stream()
                    .anyMatch(a -> a.getText().equals("report.bin")));
            assertThat(receivedFileSha256("report.bin")).isEqualTo(sha256(report));

            // browser → Java: a small file
            byte[] notes = "notes from the browser\n".repeat(100).getBytes(StandardCharsets.UTF_8);
            Path file = Files.createTempDirectory("browser-upload").resolve("notes.txt");
            Files.write(file, notes);
            browser.findElement(By.id("file-input")).sendKeys(file.toString());
            browser.findElement(By.id("file-send")).click();
            DeliveredEvent chunk = session.await(DeliveredEvent.class,
                    e -> browserId.equals(e.deviceId()) && e.eventType().equals("file"), WAIT);
            assertThat(chunk.streamId()).isEqualTo(FILE_STREAM);
            byte[] plaintext = open(contentKey, chunk);
            int headerLength = ByteBuffer.wrap(plaintext).getInt();
            JsonNode header = Json.mapper().readTree(new String(plaintext, 4, headerLength, StandardCharsets.UTF_8));
            assertThat(header.get("name").asString()).isEqualTo("notes.txt");
            assertThat(header.get("size").asLong()).isEqualTo(notes.length);
            assertThat(header.get("sha256").asString()).isEqualTo(sha256(notes));
            assertThat(header.get("index").asInt()).isZero();
            assertThat(header.get("count").asInt()).isEqualTo(1);
            assertThat(header.get("media_type").asString()).isEqualTo("text/plain");
            assertThat(Arrays.copyOfRange(plaintext, 4 + headerLength, plaintext.length)).isEqualTo(notes);
            session.ack(chunk.seq());
            waitUntil(() -> browser.findElement(By.id("file-status")).getText().contains("Sent “notes.txt”"));

            // The devices list shows the laptop online.
            browser.findElement(By.id("devices-refresh")).click();
            waitUntil(() -> !browser.findElements(By.cssSelector(
                    "#devices li[data-device-id='" + laptop.identity().deviceId() + "'][data-online='true']")).isEmpty());

            // The network goes away while the laptop sends; when it is back, the page catches up by itself.
            setOffline(true);
            waitUntil(() -> "offline".equals(connectionState()));
            sendText(session, contentKey, "sent while the network was down");
            setOffline(false);
            awaitConnected();
            awaitEventText("sent while the network was down");

            // The page is closed (a closed lid, a closed tab) while the laptop sends; opened again, it replays
            // from its stored cursor, shows each missed event once and nothing twice.
            browser.get("about:blank");
            for (int i = 1; i <= 3; i++) {
                sendText(session, contentKey, "missed " + i);
            }
            browser.get(app);
            awaitConnected();
            for (int i = 1; i <= 3; i++) {
                awaitEventText("missed " + i);
            }
            waitUntil(() -> browser.findElement(By.id("catchup-status")).getText().equals("Caught up: 3 missed events."));
            assertThat(eventTexts()).containsOnlyOnce("hello from java", "hello from the browser",
                    "sent while the network was down", "missed 1");

            // The other direction of pairing: a Java device joins with the browser's pairing code.
            browser.findElement(By.id("pair-button")).click();
            waitUntil(() -> !browser.findElement(By.id("pairing-code")).getText().isBlank());
            PairingPhrase phrase = PairingPhrase.parse(browser.findElement(By.id("pairing-code")).getText());
            PocketBridgeApi.PairingLookup lookup = api.lookupPairing(phrase.lookupCode());
            byte[] unwrapped = PairingKeyWrap.unwrap(phrase.secret(),
                    Base64Url.decode(lookup.encryptedPayload()).orElseThrow());
            assertThat(unwrapped).isEqualTo(contentKey);
            DeviceIdentity phone = Device.registerWithPairing(api, lookup, "phone", "mobile");
            assertThat(phone.userId()).isEqualTo(laptop.identity().userId());

            // Phone width: nothing wider than the screen.
            browser.manage().window().setSize(new Dimension(390, 844));
            waitUntil(() -> ((Number) browser.executeScript(
                    "return document.documentElement.scrollWidth - window.innerWidth")).intValue() <= 0);
            browser.manage().window().setSize(new Dimension(1280, 1000));
            browser.findElement(By.id("devices-refresh")).click();
            waitUntil(() -> browser.findElements(By.cssSelector("#devices li")).size() == 3);
            screenshot();
        }
    }

    // --- the browser ------------------------------------------------------------------------------

    private static void requireInstalled(Path tool, String debianPackage) {
        if (!Files.isExecutable(tool)) {
            ExternalTools.missing(tool.toString(), "apt-get install --no-install-recommends " + debianPackage + " (.ci/run does)");
        }
    }

    private static void waitUntil(Callable<Boolean> condition) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(condition);
    }

    private static void type(By field, String text) {
        WebElement element = browser.findElement(field);
        element.clear();
        element.sendKeys(text);
    }

    private static String connectionState() {
        return browser.findElement(By.id("connection")).getDomAttribute("data-state");
    }

    private static void awaitConnected() {
        waitUntil(() -> "online".equals(connectionState()));
    }

    private static List<String> eventTexts() {
        return browser.findElements(By.cssSelector("#events li[data-kind=text] .text")).stream()
                .map(WebElement::getText).toList();
    }

    private static void awaitEventText(String text) {
        waitUntil(() -> eventTexts().contains(text));
    }

    /** Chromium's network emulation: offline fires the page's offline event and fails its connections. */
    private static void setOffline(boolean offline) {
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", offline, "latency", 0,
                "downloadThroughput", -1, "uploadThroughput", -1));
    }

    /** The SHA-256 of the received file the page keeps under {@code name}, read from its IndexedDB. */
    private static String receivedFileSha256(String name) {
        return String.valueOf(browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/app/js/store.js').then(async (store) => {
                    const entry = (await store.history.all()).find((h) => h.kind === 'file' && h.name === arguments[0]);
                    const digest = await crypto.subtle.digest('SHA-256', await entry.blob.arrayBuffer());
                    done(Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join(''));
                }, (e) => done(String(e)));
                """, name));
    }

    private static void screenshot() throws IOException {
        Path target = RunningSystem.root().resolve("docs/images/browser-device.png");
        Files.createDirectories(target.getParent());
        Files.write(target, browser.getScreenshotAs(OutputType.BYTES));
    }

    // --- the Java device's content (docs/content-format.md) ----------------------------------------

    private static void sendText(DeviceSession session, byte[] contentKey, String text) {
        byte[] sealed = ContentCipher.encrypt(contentKey, text.getBytes(StandardCharsets.UTF_8),
                ContentCipher.eventAad(TEXT_STREAM, "text"));
        assertThat(session.sendAndAwait(session.newEvent(TEXT_STREAM, "text", sealed), WAIT)).isInstanceOf(EventAck.class);
    }

    private static byte[] open(byte[] contentKey, DeliveredEvent event) {
        return ContentCipher.decrypt(contentKey, Base64Url.decode(event.encryptedPayload()).orElseThrow(),
                ContentCipher.eventAad(event.streamId(), event.eventType()));
    }

    /** The plaintexts of a file's chunks: a 4-byte big-endian header length, the JSON header, the data. */
    private static List<byte[]> fileChunks(String name, byte[] content) throws IOException {
        int count = Math.max(1, (content.length + CHUNK_BYTES - 1) / CHUNK_BYTES);
        String fileId = UUID.randomUUID().toString();
        List<byte[]> chunks = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("file_id", fileId);
            header.put("name", name);
            header.put("size", content.length);
            header.put("sha256", sha256(content));
            header.put("index", index);
            header.put("count", count);
            header.put("media_type", "application/octet-stream");
            byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream chunk = new ByteArrayOutputStream();
            chunk.write(ByteBuffer.allocate(4).putInt(json.length).array());
            chunk.write(json);
            int from = index * CHUNK_BYTES;
            chunk.write(content, from, Math.min(CHUNK_BYTES, content.length - from));
            chunks.add(chunk.toByteArray());
        }
        return chunks;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

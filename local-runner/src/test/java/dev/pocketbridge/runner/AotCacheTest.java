package dev.pocketbridge.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run command's AOT caches against real JVMs of this JDK: a start records the cache, a clean
 * stop keeps it, the next start uses it; a killed recording is thrown away; a new build starts over.
 * The extraction is Spring Boot's in the run command; here it copies a plain jar ({@link Sleeper}).
 */
class AotCacheTest {

    @TempDir
    Path dir;

    private final AtomicInteger extractions = new AtomicInteger();
    private final List<ChildProcess> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(c -> c.stop(Duration.ofSeconds(5)));
    }

    @Test
    void aCleanStopKeepsTheRecordingAndTheNextStartLoadsFromIt() throws Exception {
        assumeTrue(Runtime.version().feature() >= AotCache.FIRST_JDK, "the AOT cache needs JDK 25 or later");
        Path jar = sleeperJar();
        AotCache aot = cache(jar, true);
        assertThat(aot.settle(OptionalInt.empty())).as("nothing to tell before the first launch").isEmpty();

        List<String> first = aot.launchArguments();
        assertThat(first.getFirst()).startsWith("-XX:AOTCacheOutput=");
        assertThat(aot.recording()).isTrue();
        ChildProcess recorder = start(first, "recorder");
        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.tail(5).contains("started"));
        recorder.stop(Duration.ofSeconds(60)); // SIGTERM: the JVM assembles the cache before it exits
        assertThat(recorder.exitCode()).hasValue(143);
        assertThat(aot.settle(recorder.exitCode())).as("nothing to tell of a cache written").isEmpty();
        assertThat(aot.cache()).isRegularFile();
        assertThat(aot.recording()).isFalse();

        List<String> second = aot.launchArguments();
        assertThat(second.getFirst()).isEqualTo("-XX:AOTCache=" + aot.cache());
        assertThat(aot.recording()).isFalse();
        List<String> logged = new ArrayList<>(List.of("-Xlog:aot=info"));
        logged.addAll(second);
        ChildProcess user = start(logged, "user");
        await().atMost(Duration.ofSeconds(30)).until(() -> user.tail(200).contains("sleeper " + user.pid() + " started"));
        assertThat(user.tail(200)).contains("Opened AOT cache " + aot.cache());
        assertThat(extractions).hasValue(1);
    }

    @Test
    void aRecordingWhoseJvmWasKilledIsThrownAwayAndTheNextStartRecordsAgain() throws Exception {
        assumeTrue(Runtime.version().feature() >= AotCache.FIRST_JDK, "the AOT cache needs JDK 25 or later");
        AotCache aot = cache(sleeperJar(), true);
        ChildProcess recorder = start(aot.launchArguments(), "recorder");
        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.tail(5).contains("started"));
        Path recording = dir.resolve("aot/app.aot.recording");
        Files.writeString(recording, "what a JVM killed mid-write leaves");

        ProcessHandle handle = ProcessHandle.of(recorder.pid()).orElseThrow();
        handle.destroyForcibly();
        handle.onExit().get();
        Optional<String> told = aot.settle(recorder.exitCode());

        assertThat(told).hasValueSatisfying(message -> assertThat(message)
                .contains("exit code 137", "without writing its AOT cache", "records one again at its next start"));
        assertThat(recording).doesNotExist();
        assertThat(aot.cache()).doesNotExist();
        assertThat(aot.launchArguments().getFirst()).startsWith("-XX:AOTCacheOutput=");
    }

    @Test
    void aNewBuildOfTheJarOrAnotherJdkStartsOverWithANewExtractionAndRecording() throws Exception {
        Path jar = sleeperJar();
        AotCache aot = cache(jar, true);
        aot.launchArguments();
        Files.writeString(aot.cache(), "the previous build's cache");
        assertThat(aot.launchArguments().getFirst()).startsWith("-XX:AOTCache=");
        assertThat(extractions).hasValue(1);

        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));

        assertThat(aot.launchArguments().getFirst()).startsWith("-XX:AOTCacheOutput=");
        assertThat(aot.cache()).doesNotExist();
        assertThat(extractions).hasValue(2);

        Files.writeString(aot.cache(), "this build's cache, for the JDK it was recorded with");
        AotCache otherJdk = cache(jar, true, "another JDK");
        assertThat(otherJdk.launchArguments().getFirst()).startsWith("-XX:AOTCacheOutput=");
        assertThat(otherJdk.cache()).doesNotExist();
        assertThat(extractions).hasValue(3);
    }

    @Test
    void turnedOffOrBeforeJdk25OrWhenTheExtractionFailsTheJarIsLaunchedAsItIs() throws Exception {
        Path jar = sleeperJar();
        assertThat(cache(jar, false).launchArguments()).containsExactly("-jar", jar.toString());
        assertThat(extractions).hasValue(0);

        AotCache failing = new AotCache(jar, dir.resolve("aot"), true, "this JDK", (from, to) -> {
            throw new IOException("no space left");
        });
        assertThat(failing.launchArguments()).containsExactly("-jar", jar.toString());
        assertThat(failing.recording()).isFalse();
    }

    private AotCache cache(Path jar, boolean enabled) {
        return cache(jar, enabled, "this JDK");
    }

    private AotCache cache(Path jar, boolean enabled, String jvm) {
        return new AotCache(jar, dir.resolve("aot"), enabled, jvm, (from, to) -> {
            extractions.incrementAndGet();
            Files.createDirectories(to);
            Files.copy(from, to.resolve(from.getFileName()));
        });
    }

    private ChildProcess start(List<String> arguments, String name) throws IOException {
        ChildProcess child = ChildProcess.startJava(name, arguments, dir, dir.resolve(name + ".log"));
        started.add(child);
        return child;
    }

    /** A plain executable jar of {@link Sleeper}: the AOT cache takes classes from jars only. */
    private Path sleeperJar() throws IOException {
        Path jar = dir.resolve("sleeper-exec.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Sleeper.class.getName());
        String entry = Sleeper.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.putNextEntry(new JarEntry(entry));
            try (var in = Sleeper.class.getClassLoader().getResourceAsStream(entry)) {
                in.transferTo(jarOut);
            }
            jarOut.closeEntry();
        }
        return jar;
    }
}

package dev.pocketbridge.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the run command keeps its state: everything under {@code <project>/.data}, kept between runs
 * (the end-to-end fault suite uses the same layout with its own data directory).
 */
public record Layout(Path root, Path data) {

    static Layout at(Path root) throws IOException {
        return at(root, root.resolve(".data"));
    }

    /** State under {@code data} instead of {@code <project>/.data}. */
    public static Layout at(Path root, Path data) throws IOException {
        Files.createDirectories(data.resolve("logs"));
        return new Layout(root, data);
    }

    public Path logs() {
        return data.resolve("logs");
    }

    public Path log(String name) {
        return logs().resolve(name + ".log");
    }

    /**
     * The JVM options that keep process {@code name}'s own diagnostics beside its output: its garbage
     * collections, one line each with its pause, in {@code logs/<name>-gc.log} (at most four files of
     * 10 MiB, rotated by the JVM itself, below {@link LogRotation}'s cap, which therefore never
     * touches them); and the report of a crash of the JVM itself, in {@code logs/<name>-crash-<pid>.log}
     * rather than the working directory the run command was started from.
     */
    List<String> jvmLogOptions(String name) {
        return List.of(
                "-Xlog:gc:file=\"" + logs().resolve(name + "-gc.log").toAbsolutePath() + "\":time,uptime,level,tags"
                        + ":filecount=3,filesize=10m",
                "-XX:ErrorFile=" + logs().resolve(name + "-crash-%p.log").toAbsolutePath());
    }

    /** What a running run command holds ({@link RunLock}). */
    Path runLock() {
        return data.resolve("run.lock");
    }

    Path serviceJar(String module) {
        return root.resolve(module).resolve("target").resolve(module + "-exec.jar");
    }

    /** The service's jar extracted and its AOT cache ({@link AotCache}), beside the jar: a clean build removes them. */
    Path aotDirectory(String module) {
        return root.resolve(module).resolve("target").resolve("aot");
    }

    /** The runner's own class path directory, also the Kafka broker's. */
    Path libDirectory() {
        return root.resolve("local-runner").resolve("target").resolve("lib");
    }
}

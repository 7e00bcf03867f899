package dev.pocketbridge.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A service's log lines as production writes them (JSON, Elastic Common Schema, Spring Boot's
 * structured logging), to a file beside the test's console, which stays text: a service's shared
 * integration test context adds {@link #FORMAT} and {@link #FILE} to its properties (one context
 * per module, so its logging configuration is the one in force), and a test reads the lines back.
 */
public final class StructuredLogFile {

    /** JSON lines (ECS) in the log file. */
    public static final String FORMAT = "logging.structured.format.file=ecs";
    /** The log file, in the module's target directory; large enough never to roll over during a run. */
    public static final String FILE = "logging.file.name=target/test-logs/structured.json";
    public static final String NO_ROLLING = "logging.logback.rollingpolicy.max-file-size=1GB";

    private static final Path PATH = Path.of("target/test-logs/structured.json");
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private StructuredLogFile() {
    }

    /** The lines written so far that match, each parsed (every line must be a JSON object). */
    public static List<JsonNode> lines(Predicate<JsonNode> match) {
        try {
            if (!Files.exists(PATH)) {
                return List.of();
            }
            return Files.readAllLines(PATH, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.isBlank())
                    .map(MAPPER::readTree)
                    .filter(match)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

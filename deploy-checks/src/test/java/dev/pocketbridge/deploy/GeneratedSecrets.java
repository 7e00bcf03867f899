package dev.pocketbridge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs deploy/generate-secrets. */
final class GeneratedSecrets {

    private GeneratedSecrets() {
    }

    /** The .env it prints, written to {@code dir/env}, as a map (the quotes around a value removed). */
    static Map<String, String> env(Path dir) throws IOException {
        String text = output(List.of());
        Files.writeString(dir.resolve("env"), text);
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String value = line.substring(eq + 1);
            if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                value = value.substring(1, value.length() - 1);
            }
            values.put(line.substring(0, eq), value);
        }
        return values;
    }

    /** The Secret manifest it prints for Kubernetes. */
    static String kubernetes(String name) {
        return output(List.of("--kubernetes", name));
    }

    private static String output(List<String> arguments) {
        String bash = DeployTools.bash();
        DeployTools.requireOpenssl();
        List<String> command = DeployTools.list(bash, "deploy/generate-secrets");
        command.addAll(arguments);
        DeployTools.Result result = DeployTools.run(command, null, Map.of());
        assertThat(result.exitCode()).as(result.describe()).isZero();
        return result.stdout();
    }
}

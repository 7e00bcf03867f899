package dev.pocketbridge.deploy;

import static dev.pocketbridge.deploy.ComposeFileTest.list;
import static dev.pocketbridge.deploy.ComposeFileTest.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/prometheus/alerts.yml: valid rules ({@code promtool check rules}) whose unit tests pass
 * ({@code promtool test rules}), every alert tested, annotated and pointing at a section of
 * docs/monitoring.md; and the Grafana dashboard in deploy/grafana is JSON with a query per panel.
 */
class PrometheusRulesTest {

    private static final String RULES = "deploy/prometheus/alerts.yml";
    private static final String RULE_TESTS = "deploy/prometheus/alerts.test.yml";
    private static final String DASHBOARD = "deploy/grafana/pocketbridge-dashboard.json";
    private static final String RUNBOOK = "docs/monitoring.md#";

    @Test
    void theRulesAreValid() {
        DeployTools.Result result = DeployTools.run(DeployTools.promtool(), "check", "rules", RULES);

        assertThat(result.exitCode()).as(result.describe()).isZero();
    }

    @Test
    void theRulesPassTheirUnitTests() {
        DeployTools.Result result = DeployTools.run(DeployTools.promtool(), "test", "rules", RULE_TESTS);

        assertThat(result.exitCode()).as(result.describe()).isZero();
    }

    @Test
    void everyAlertIsTestedAnnotatedAndHasARunbookSection() throws IOException {
        List<Map<String, Object>> alerts = alerts();
        String tests = read(RULE_TESTS);
        Set<String> anchors = anchors(read("docs/monitoring.md"));

        assertThat(alerts).hasSizeGreaterThanOrEqualTo(8);
        for (Map<String, Object> alert : alerts) {
            String name = (String) alert.get("alert");
            Map<String, String> annotations = map(alert.get("annotations"));
            assertThat(annotations).as(name).containsKeys("summary", "description", "runbook_url");
            assertThat(map(alert.get("labels"))).as(name).containsKey("severity");
            assertThat(tests).as(name + " has a unit test").contains("alertname: " + name + "\n");
            String runbook = annotations.get("runbook_url");
            assertThat(runbook).as(name).startsWith(RUNBOOK);
            assertThat(anchors).as(name + ": docs/monitoring.md has the section " + runbook)
                    .contains(runbook.substring(RUNBOOK.length()));
        }
    }

    @Test
    void theDashboardIsJsonWithAQueryPerPanel() throws IOException {
        // JSON is YAML: the same parser reads it, and refuses it if it is not well formed.
        Map<String, Object> dashboard = new Yaml().load(read(DASHBOARD));

        assertThat(dashboard).containsKeys("title", "panels", "uid");
        List<Map<String, Object>> panels = list(dashboard.get("panels"));
        List<String> untargeted = new ArrayList<>();
        for (Map<String, Object> panel : panels) {
            if (!"row".equals(panel.get("type"))
                    && list(panel.getOrDefault("targets", List.of())).stream().noneMatch(t -> map(t).containsKey("expr"))) {
                untargeted.add((String) panel.get("title"));
            }
        }
        assertThat(panels).hasSizeGreaterThanOrEqualTo(10);
        assertThat(untargeted).as("panels without a query").isEmpty();
    }

    private static List<Map<String, Object>> alerts() throws IOException {
        Map<String, Object> rules = new Yaml().load(read(RULES));
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (Object group : list(rules.get("groups"))) {
            for (Object rule : list(map(group).get("rules"))) {
                alerts.add(map(rule));
            }
        }
        return alerts;
    }

    /** The anchors GitHub gives the headings of a Markdown file: lower case, spaces to dashes, no punctuation. */
    private static Set<String> anchors(String markdown) {
        Matcher headings = Pattern.compile("(?m)^#{1,6}\\s+(.+)$").matcher(markdown);
        List<String> found = new ArrayList<>();
        while (headings.find()) {
            found.add(headings.group(1).trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
        }
        return found.stream().collect(Collectors.toSet());
    }

    private static String read(String path) throws IOException {
        return Files.readString(DeployTools.ROOT.resolve(path));
    }
}

package dev.vepconnector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Helm chart lints and renders (with Helm itself, embedded through helm-java), and what it
 * renders keeps the operator contract: property names, probes on the actuator groups, ports,
 * secrets from references, a rollout when settings or routes change.
 */
class HelmChartTest {

    private static final Path CHART = Path.of("deploy/helm/vep-connector");

    @Test
    void theChartLints() {
        var result = new Helm(CHART).lint().strict().call();
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void theDeploymentProbesTheActuatorGroupsOnTheManagementPort() {
        Map<String, Object> container = container(render(t -> t));
        assertThat(path(container, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat(path(container, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
        assertThat(path(container, "readinessProbe.httpGet.port")).isEqualTo("management");
        assertThat(list(container, "ports").stream().map(p -> ((Map<?, ?>) p).get("containerPort")).toList()).isEqualTo(List.of(8080, 8081));
        assertThat(envNames(container)).contains("SPRING_PROFILES_ACTIVE", "SPRING_RABBITMQ_USERNAME", "SPRING_RABBITMQ_PASSWORD",
                "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD", "VEP_BROKER_CA");
        assertThat(String.valueOf(container.get("env"))).as("credentials come from Secret references, never values")
                .contains("secretKeyRef").doesNotContain("password: ");
        assertThat(path(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
    }

    @Test
    void theConfigMapUsesTheOperatorContractsPropertyNames() {
        Map<String, Object> settings = applicationYaml(render(t -> t));
        assertThat(path(settings, "vep.exchange")).isEqualTo("vep.outgoing");
        assertThat(path(settings, "vep.integration-exchange")).isEqualTo("vep.integration");
        assertThat(path(settings, "vep.queue")).isEqualTo("vep-connector.events");
        assertThat(path(settings, "vep.cases.transcript-wait")).isEqualTo("2m");
        assertThat(path(settings, "vep.sinks.file.enabled")).isEqualTo(false);
        assertThat(path(settings, "vep.sinks.webhook.enabled")).isEqualTo(false);
        assertThat(path(settings, "vep.sinks.salesforce.enabled")).isEqualTo(false);
        assertThat(path(settings, "spring.rabbitmq.virtual-host")).isEqualTo("partner");
        assertThat(path(settings, "camel.main.routes-include-pattern")).isEqualTo("file:/etc/vep-connector/routes/*.yaml");
    }

    @Test
    void oneLineSwitchesASinkOnAndItsSecretBecomesEnvironment() {
        List<Map<String, Object>> docs = render(t -> t.set("sinks.webhook.enabled", "true")
                .set("sinks.webhook.url", "https://crm.example/hooks/vep").set("sinks.webhook.envFromSecret", "webhook-secret"));
        assertThat(path(applicationYaml(docs), "vep.sinks.webhook.enabled")).isEqualTo(true);
        assertThat(String.valueOf(container(docs).get("envFrom"))).contains("webhook-secret");
    }

    @Test
    void theRouteFilesOfTheRepositoryAreMountedAndCanBeReplaced() {
        Map<String, Object> routes = configMap(render(t -> t), "-routes");
        assertThat(keys(routes.get("data"))).contains("sink-file.yaml");
        Map<String, Object> replaced = configMap(render(t -> t.set("routes.extra\\.yaml", "- route: {id: extra, from: {uri: 'timer:x'}, steps: [{log: x}]}")), "-routes");
        assertThat(keys(replaced.get("data"))).contains("sink-file.yaml", "extra.yaml");
    }

    @Test
    void aChangedSettingOrRouteRollsThePods() {
        String before = checksum(render(t -> t));
        assertThat(checksum(render(t -> t.set("vep.cases.transcriptWait", "5m")))).isNotEqualTo(before);
        assertThat(checksum(render(t -> t.set("routes.extra\\.yaml", "- route: {id: extra}")))).isNotEqualTo(before);
        assertThat(checksum(render(t -> t))).isEqualTo(before);
    }

    @Test
    void optionalObjectsFollowTheirSwitches() {
        assertThat(kinds(render(t -> t))).contains("Deployment", "Service", "ConfigMap", "PodDisruptionBudget").doesNotContain("ServiceMonitor");
        assertThat(kinds(render(t -> t.set("serviceMonitor.enabled", "true").set("podDisruptionBudget.enabled", "false"))))
                .contains("ServiceMonitor").doesNotContain("PodDisruptionBudget");
    }

    // --- rendering helpers

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> render(UnaryOperator<TemplateCommand> values) {
        String manifests = values.apply(new Helm(CHART).template().withName("vep")).call();
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(manifests)) {
            if (doc != null) {
                docs.add((Map<String, Object>) doc);
            }
        }
        return docs;
    }

    private static List<String> keys(Object map) {
        return ((Map<?, ?>) map).keySet().stream().map(String::valueOf).toList();
    }

    private static List<String> kinds(List<Map<String, Object>> docs) {
        return docs.stream().map(d -> (String) d.get("kind")).toList();
    }

    private static Map<String, Object> kind(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).findFirst().orElseThrow();
    }

    private static Map<String, Object> configMap(List<Map<String, Object>> docs, String suffix) {
        return docs.stream().filter(d -> "ConfigMap".equals(d.get("kind")))
                .filter(d -> String.valueOf(path(d, "metadata.name")).endsWith("connector" + suffix)).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> applicationYaml(List<Map<String, Object>> docs) {
        return new Yaml().load((String) path(configMap(docs, ""), "data.application.yaml"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(List<Map<String, Object>> docs) {
        return (Map<String, Object>) ((List<?>) path(kind(docs, "Deployment"), "spec.template.spec.containers")).get(0);
    }

    private static String checksum(List<Map<String, Object>> docs) {
        return (String) ((Map<?, ?>) path(kind(docs, "Deployment"), "spec.template.metadata.annotations")).get("checksum/config");
    }

    private static List<String> envNames(Map<String, Object> container) {
        return list(container, "env").stream().map(e -> (String) ((Map<?, ?>) e).get("name")).toList();
    }

    private static List<?> list(Map<String, Object> map, String path) {
        return (List<?>) path(map, path);
    }

    /** A dotted path into nested maps; a key may itself contain dots when it exists as a whole (application.yaml). */
    private static Object path(Map<String, Object> map, String dotted) {
        Object current = map;
        String rest = dotted;
        while (!rest.isEmpty()) {
            Map<?, ?> m = (Map<?, ?>) current;
            if (m.containsKey(rest)) {
                return m.get(rest);
            }
            int dot = rest.indexOf('.');
            String key = dot < 0 ? rest : rest.substring(0, dot);
            current = m.get(key);
            rest = dot < 0 ? "" : rest.substring(dot + 1);
            if (current == null) {
                return null;
            }
        }
        return current;
    }
}

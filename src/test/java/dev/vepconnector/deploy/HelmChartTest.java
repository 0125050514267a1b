package dev.vepconnector.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void theProjectsSettingsFileShipsWithTheChartAndTheValuesAreReadAfterIt() throws Exception {
        List<Map<String, Object>> docs = render(t -> t);
        assertThat(path(configMap(docs, ""), "data.application.yaml"))
                .isEqualTo(java.nio.file.Files.readString(java.nio.file.Path.of("application.yaml")));
        Object location = list(container(docs), "env").stream().map(e -> (Map<?, ?>) e)
                .filter(e -> "SPRING_CONFIG_ADDITIONAL_LOCATION".equals(e.get("name"))).findFirst().orElseThrow().get("value");
        assertThat(location).isEqualTo("optional:file:/etc/vep-connector/config/application.yaml,"
                + "optional:file:/etc/vep-connector/config/values.yaml");
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
    void routeFilesCanComeWithTheJarsDefaultRoutesInsteadOfTheChartsCopy() {
        List<Map<String, Object>> docs = render(t -> t.set("defaultRoutes", "jar")
                .set("routes.mqtt\\.yaml", "- route: {id: mqtt-sink, from: {uri: 'vep-sink:mqtt'}, steps: [{to: 'paho-mqtt5:cases'}]}"));
        assertThat(path(applicationYaml(docs), "camel.main.routes-include-pattern"))
                .isEqualTo("classpath:routes/*.yaml,file:/etc/vep-connector/routes/*.yaml");
        assertThat(keys(configMap(docs, "-routes").get("data"))).as("the operator's files only: the jar has the rest").containsExactly("mqtt.yaml");
        assertThat(keys(configMap(render(t -> t.set("defaultRoutes", "jar")), "-routes").get("data"))).isEmpty();
    }

    @Test
    void withoutExtensionsNothingIsAddedToThePod() {
        Map<String, Object> pod = pod(render(t -> t));
        assertThat(pod).doesNotContainKey("initContainers");
        assertThat(list(pod, "volumes").stream().map(v -> ((Map<?, ?>) v).get("name")).toList())
                .isEqualTo(List.of("config", "routes", "broker-ca", "data", "tmp"));
        assertThat(envNames(container(render(t -> t)))).doesNotContain("LOADER_PATH");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anExtensionsImageIsCopiedIntoAFolderTheConnectorReadsThroughLoaderPath() {
        List<Map<String, Object>> docs = render(t -> t.set("extensions.image", "registry.example/vep-extensions:1.0")
                .set("extensions.path", "/opt/jars"));
        Map<String, Object> init = (Map<String, Object>) list(pod(docs), "initContainers").get(0);
        assertThat(init.get("image")).isEqualTo("registry.example/vep-extensions:1.0");
        assertThat(list(init, "command")).isEqualTo(List.of("sh", "-c", "cp -- \"$0\"/*.jar /app/extensions/", "/opt/jars"));
        assertThat(mount(init, "extensions")).containsEntry("mountPath", "/app/extensions");
        assertThat(path(init, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(volume(docs, "extensions")).containsEntry("emptyDir", Map.of());
        assertExtensionsReachTheConnector(container(docs));
    }

    @Test
    void anyVolumeCanHoldTheExtensions() {
        List<Map<String, Object>> docs = render(t -> t.set("extensions.volume.persistentVolumeClaim.claimName", "vep-extensions"));
        assertThat(pod(docs)).doesNotContainKey("initContainers");
        assertThat(path(volume(docs, "extensions"), "persistentVolumeClaim.claimName")).isEqualTo("vep-extensions");
        assertExtensionsReachTheConnector(container(docs));
    }

    @Test
    void anExtensionsImageAndAVolumeAreRefused() {
        assertThatThrownBy(() -> render(t -> t.set("extensions.image", "registry.example/vep-extensions:1.0")
                .set("extensions.volume.persistentVolumeClaim.claimName", "vep-extensions")))
                .hasMessageContaining("extensions: give an image (copied into the pod) or a volume, not both");
        assertThatThrownBy(() -> render(t -> t.set("defaultRoutes", "none"))).hasMessageContaining("defaultRoutes is \"none\": chart or jar");
    }

    private static void assertExtensionsReachTheConnector(Map<String, Object> container) {
        assertThat(list(container, "env")).anyMatch(Map.of("name", "LOADER_PATH", "value", "/app/extensions")::equals);
        assertThat(mount(container, "extensions")).containsEntry("mountPath", "/app/extensions").containsEntry("readOnly", true);
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

    @Test
    @SuppressWarnings("unchecked")
    void alertingRulesOnTheGroupsStatusAndServiceLevelAreOffByDefault() {
        assertThat(kinds(render(t -> t))).doesNotContain("PrometheusRule");
        Map<String, Object> rule = kind(render(t -> t.set("prometheusRule.enabled", "true").set("prometheusRule.labels.release", "monitoring")
                .set("prometheusRule.serviceLevelBelow", "0.7")), "PrometheusRule");
        assertThat(path(rule, "metadata.labels.release")).isEqualTo("monitoring");
        List<Map<String, Object>> rules = (List<Map<String, Object>>) ((Map<String, Object>) list(rule, "spec.groups").get(0)).get("rules");
        assertThat(rules).extracting(r -> r.get("alert")).containsExactly("VepGroupStatusAlert", "VepGroupStatusWarning", "VepGroupServiceLevelLow");
        assertThat(rules).extracting(r -> String.valueOf(r.get("expr"))).containsExactly(
                "max by (group_id, group) (vep_group_status) >= 2", "max by (group_id, group) (vep_group_status) == 1",
                "max by (group_id, group) (vep_group_service_level_ratio{window=\"1h\"}) < 0.7");
        assertThat(String.valueOf(path(rules.get(0), "annotations.summary"))).isEqualTo("VEP group {{ $labels.group }} is at alert");
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
        return new Yaml().load((String) path(configMap(docs, ""), "data.values.yaml"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(List<Map<String, Object>> docs) {
        return (Map<String, Object>) list(pod(docs), "containers").get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> pod(List<Map<String, Object>> docs) {
        return (Map<String, Object>) path(kind(docs, "Deployment"), "spec.template.spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> volume(List<Map<String, Object>> docs, String name) {
        return (Map<String, Object>) list(pod(docs), "volumes").stream().filter(v -> name.equals(((Map<?, ?>) v).get("name"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mount(Map<String, Object> container, String name) {
        return (Map<String, Object>) list(container, "volumeMounts").stream().filter(m -> name.equals(((Map<?, ?>) m).get("name"))).findFirst().orElseThrow();
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

package dev.vepconnector.sinks.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vepconnector.sinks.RejectedDeliveryException;
import dev.vepconnector.sinks.SinkFailures;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.SinkRouteExchanges;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * routes/sink-file.yaml as it ships, driven directly: its {@code from} replaced by a direct endpoint,
 * the rest as is (camel-file, the bean steps, the real folder).
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FileSinkRouteTest {

    static final Setup SETUP = Setup.unique();
    static final Path OUT = SETUP.dataDirectory().resolve("out");
    static final String RECORDS = "direct:file-sink-records";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        SETUP.register(registry);
        registry.add("vep.sinks.file.directory", OUT::toString);
    }

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    SinkFailures failures;

    @BeforeEach
    void driveTheRouteDirectly() throws Exception {
        MockEndpoint.resetMocks(camel);
        if (camel.hasEndpoint(RECORDS) != null) {
            return; // advised already: the context is shared by the tests of this class
        }
        AdviceWith.adviceWith(camel, "sink-file", route -> {
            route.replaceFromWith(RECORDS);
            route.weaveAddLast().to("mock:published");
        });
    }

    @Test
    void eachRevisionReplacesThePreviousOneWholeAndIndented() throws Exception {
        MockEndpoint published = camel.getEndpoint("mock:published", MockEndpoint.class);
        published.expectedHeaderValuesReceivedInAnyOrder("vepRevision", 1, 2);
        NotifyBuilder bothDone = new NotifyBuilder(camel).fromRoute("sink-file").whenDone(2).create();

        assertThat(send("case-1", 1).getException()).isNull();
        assertThat(send("case-1", 2).getException()).isNull();

        assertThat(bothDone.matchesWaitTime()).isTrue();
        published.assertIsSatisfied();
        String written = Files.readString(OUT.resolve("cases/case-1.json"));
        assertThat(new ObjectMapper().readTree(written).get("revision").asInt()).isEqualTo(2);
        assertThat(written).as("vep.sinks.file.pretty").contains("\n  \"caseId\"");
        assertThat(temporaryFiles()).noneMatch(file -> file.getFileName().toString().startsWith(".case-1."));
    }

    @Test
    void aWriteThatFailsHalfWayLeavesThePreviousRevisionInPlace() throws Exception {
        assertThat(send("case-2", 1).getException()).isNull();
        AdviceWith.adviceWith(camel, "sink-file", route -> route.weaveByToUri("file:*").after()
                .throwException(new IOException("disk gone")));
        try {
            Exchange failed = send("case-2", 2);
            assertThat(failed.getException()).hasMessageContaining("disk gone");
            assertThat(failures.classify(failed.getException()).refused()).as("retried, not refused").isFalse();
            assertThat(new ObjectMapper().readTree(OUT.resolve("cases/case-2.json").toFile()).get("revision").asInt()).isEqualTo(1);
        } finally {
            AdviceWith.adviceWith(camel, "sink-file", route -> route.weaveByType(org.apache.camel.model.ThrowExceptionDefinition.class).remove());
        }
    }

    @Test
    void aCaseIdThatIsNoFileNameIsRefusedAndWritesNothing() throws Exception {
        Exchange refused = send("../escaped", 1);
        assertThat(refused.getException()).isInstanceOf(RejectedDeliveryException.class);
        assertThat(failures.classify(refused.getException()).refused()).isTrue();
        assertThat(OUT.resolve("escaped.json")).doesNotExist();
        assertThat(OUT.resolve("cases/escaped.json")).doesNotExist();
    }

    @Test
    void anErasureNoticeDeletesTheCasesFileAndNoOtherOne() throws Exception {
        assertThat(send("case-3", 1).getException()).isNull();
        assertThat(send("case-4", 1).getException()).isNull();

        assertThat(SinkRouteExchanges.sendErasure(producer, RECORDS, "file", "case-3", 2).getException()).isNull();

        assertThat(OUT.resolve("cases/case-3.json")).doesNotExist();
        assertThat(OUT.resolve("cases/case-4.json")).exists();
        assertThat(SinkRouteExchanges.sendErasure(producer, RECORDS, "file", "case-3", 2).getException())
                .as("told twice: nothing left to delete, still done").isNull();
    }

    private Exchange send(String caseId, int revision) {
        return SinkRouteExchanges.send(producer, RECORDS, "file", caseId, revision, SinkRouteExchanges.record(caseId, revision, "positive"));
    }

    private static java.util.List<Path> temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(OUT.resolve("cases"))) {
            return files.filter(file -> file.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}

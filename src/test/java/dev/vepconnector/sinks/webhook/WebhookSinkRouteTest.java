package dev.vepconnector.sinks.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vepconnector.sinks.SinkFailure;
import dev.vepconnector.sinks.SinkFailures;
import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.SinkRouteExchanges;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * routes/sink-webhook.yaml as it ships, driven directly against a real HTTP receiver: what the request
 * carries, and what each answer means for the delivery.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebhookSinkRouteTest {

    static final Setup SETUP = Setup.unique();
    static final WireMockServer RECEIVER = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    static final String RECORDS = "direct:webhook-records";
    static final String SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString("route-test-secret".getBytes());

    static {
        RECEIVER.start();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        SETUP.register(registry);
        registry.add("vep.sinks.file.enabled", () -> "false");
        registry.add("vep.sinks.webhook.enabled", () -> "true");
        registry.add("vep.sinks.webhook.url", () -> RECEIVER.baseUrl() + "/hooks/vep");
        registry.add("vep.sinks.webhook.secret", () -> SECRET);
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.stop();
    }

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    SinkFailures failures;

    @BeforeEach
    void driveTheRouteDirectly() throws Exception {
        RECEIVER.resetAll();
        MockEndpoint.resetMocks(camel);
        if (camel.hasEndpoint(RECORDS) != null) {
            return; // advised already: the context is shared by the tests of this class
        }
        AdviceWith.adviceWith(camel, "sink-webhook", route -> {
            route.replaceFromWith(RECORDS);
            route.weaveById("post-to-receiver").before().to("mock:request");
        });
    }

    @Test
    void theRecordIsPostedAsItIsSignedAndWithoutTheConnectorsOwnHeaders() throws Exception {
        RECEIVER.stubFor(post(urlEqualTo("/hooks/vep")).willReturn(aResponse().withStatus(204)));
        MockEndpoint request = camel.getEndpoint("mock:request", MockEndpoint.class);
        request.expectedMessageCount(1);
        request.expectedHeaderReceived("webhook-id", "case-1:3");

        String record = SinkRouteExchanges.record("case-1", 3, "positive");
        assertThat(send("case-1", 3, record).getException()).isNull();

        request.assertIsSatisfied();
        LoggedRequest received = RECEIVER.findAll(postRequestedFor(urlEqualTo("/hooks/vep"))).get(0);
        assertThat(received.getBodyAsString()).isEqualTo(record);
        assertThat(received.getHeader("Content-Type")).startsWith("application/json");
        String signed = received.getHeader("webhook-id") + "." + received.getHeader("webhook-timestamp") + "." + record;
        assertThat(received.getHeader("webhook-signature"))
                .isEqualTo(new WebhookSignature(SECRET).sign(received.getHeader("webhook-id"),
                        Long.parseLong(received.getHeader("webhook-timestamp")), record.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .as(signed);
        assertThat(received.getAllHeaderKeys()).noneMatch(header -> header.toLowerCase().startsWith("vep"));
    }

    @Test
    void aRefusalIsRefusedWithTheReceiversAnswer() {
        RECEIVER.stubFor(post(urlEqualTo("/hooks/vep")).willReturn(aResponse().withStatus(422).withBody("unknown case type")));
        SinkFailure failure = failureOf(send("case-2", 1, SinkRouteExchanges.record("case-2", 1, "positive")));
        assertThat(failure.refused()).isTrue();
        assertThat(failure.description()).contains("HTTP 422", "unknown case type");
    }

    @Test
    void busyAndFailingReceiversAreRetriedOnceEachAtTheTimeTheyName() {
        RECEIVER.stubFor(post(urlEqualTo("/hooks/vep")).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "7")));
        SinkFailure busy = failureOf(send("case-3", 1, SinkRouteExchanges.record("case-3", 1, "positive")));
        assertThat(busy.refused()).isFalse();
        assertThat(busy.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(RECEIVER.findAll(postRequestedFor(urlEqualTo("/hooks/vep")))).as("no retry inside the HTTP client").hasSize(1);

        RECEIVER.resetAll();
        RECEIVER.stubFor(post(urlEqualTo("/hooks/vep")).willReturn(aResponse().withStatus(408)));
        SinkFailure timeout = failureOf(send("case-3", 1, SinkRouteExchanges.record("case-3", 1, "positive")));
        assertThat(timeout.refused()).isFalse();
        assertThat(timeout.retryAfter()).isNull();
    }

    @Test
    void aReceiverThatIsDownIsRetried() {
        RECEIVER.stubFor(post(urlEqualTo("/hooks/vep")).willReturn(aResponse()
                .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
        SinkFailure failure = failureOf(send("case-4", 1, SinkRouteExchanges.record("case-4", 1, "positive")));
        assertThat(failure.refused()).isFalse();
    }

    private Exchange send(String caseId, int revision, String record) {
        return SinkRouteExchanges.send(producer, RECORDS, "webhook", caseId, revision, record);
    }

    private SinkFailure failureOf(Exchange exchange) {
        assertThat(exchange.getException()).isNotNull();
        return failures.classify(exchange.getException());
    }
}

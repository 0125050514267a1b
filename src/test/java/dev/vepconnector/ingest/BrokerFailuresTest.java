package dev.vepconnector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.support.RabbitExceptionTranslator;

/** Which state a failure to connect or bind leaves the connector in, from exceptions as the AMQP client and Spring AMQP throw them. */
class BrokerFailuresTest {

    private static final int CONNECTION_CLASS = 10;
    private static final int START_OK = 11;
    private static final int OPEN = 40;
    private static final int EXCHANGE_CLASS = 40;
    private static final int QUEUE_CLASS = 50;
    private static final int DECLARE = 10;
    private static final int BIND = 20;

    @Test
    void aRefusedLoginIsLoginRefused() {
        assertThat(BrokerFailures.classify(spring(new AuthenticationFailureException(
                "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN")))).isEqualTo(BrokerState.LOGIN_REFUSED);
        // A broker that closes the connection during the login without saying why (Qpid says "Authentication failed")
        assertThat(BrokerFailures.classify(spring(new PossibleAuthenticationFailureException(
                connectionClosed(AMQP.NOT_ALLOWED, "Authentication failed", START_OK))))).isEqualTo(BrokerState.LOGIN_REFUSED);
        assertThat(BrokerFailures.classify(wrapped(connectionClosed(AMQP.ACCESS_REFUSED, "ACCESS_REFUSED - Login was refused", START_OK))))
                .isEqualTo(BrokerState.LOGIN_REFUSED);
    }

    @Test
    void aVirtualHostTheUserMayNotOpenIsVhostNotAllowed() {
        Exception refused = wrapped(connectionClosed(AMQP.NOT_ALLOWED, "NOT_ALLOWED - access to vhost 'vep' refused for user 'u'", OPEN));
        assertThat(BrokerFailures.classify(refused)).isEqualTo(BrokerState.VHOST_NOT_ALLOWED);
        assertThat(BrokerFailures.cause(refused)).isEqualTo("NOT_ALLOWED - access to vhost 'vep' refused for user 'u'");
        assertThat(BrokerFailures.classify(wrapped(connectionClosed(AMQP.NOT_ALLOWED, "NOT_ALLOWED - vhost vep not found", OPEN))))
                .isEqualTo(BrokerState.VHOST_NOT_ALLOWED);
        assertThat(BrokerFailures.classify(wrapped(connectionClosed(AMQP.NOT_FOUND, "Unknown virtual host: 'vep'", OPEN))))
                .as("Qpid's reply for a missing virtual host").isEqualTo(BrokerState.VHOST_NOT_ALLOWED);
    }

    @Test
    void aRefusedOperationOnAChannelIsPermissionRefused() {
        ShutdownSignalException refused = channelClosed(AMQP.ACCESS_REFUSED,
                "ACCESS_REFUSED - access to queue 'q' in vhost '/' refused for user 'u'", QUEUE_CLASS, DECLARE);
        assertThat(BrokerFailures.classify(wrapped(refused))).isEqualTo(BrokerState.PERMISSION_REFUSED);
        assertThat(BrokerFailures.cause(wrapped(refused))).startsWith("ACCESS_REFUSED - access to queue 'q'");
        assertThat(BrokerFailures.isRefusal(refused)).isTrue();
    }

    @Test
    void whatVepOwnsOrTheQueueAlreadyIsHasItsOwnState() {
        assertThat(BrokerFailures.classify(wrapped(channelClosed(AMQP.NOT_FOUND, "NOT_FOUND - no exchange 'vep.outgoing'", EXCHANGE_CLASS, DECLARE))))
                .isEqualTo(BrokerState.EXCHANGE_MISSING);
        assertThat(BrokerFailures.classify(wrapped(channelClosed(AMQP.NOT_FOUND, "NOT_FOUND - no exchange 'vep.outgoing'", QUEUE_CLASS, BIND))))
                .as("the exchange deleted between its check and the binding").isEqualTo(BrokerState.EXCHANGE_MISSING);
        assertThat(BrokerFailures.classify(wrapped(channelClosed(AMQP.PRECONDITION_FAILED,
                "PRECONDITION_FAILED - inequivalent arg 'x-queue-type'", QUEUE_CLASS, DECLARE)))).isEqualTo(BrokerState.QUEUE_CONFLICT);
    }

    @Test
    void certificatesHandshakesAndAServerThatDoesNotGreetAreTlsFailures() {
        SSLHandshakeException untrusted = new SSLHandshakeException("PKIX path building failed");
        untrusted.initCause(new CertPathBuilderException("unable to find valid certification path to requested target"));
        assertThat(BrokerFailures.classify(spring(untrusted))).isEqualTo(BrokerState.TLS_FAILED);
        assertThat(BrokerFailures.cause(spring(untrusted))).isEqualTo("SSLHandshakeException: PKIX path building failed");

        assertThat(BrokerFailures.classify(spring(new SSLException("Unsupported or unrecognized SSL message"))))
                .as("TLS to a plain port").isEqualTo(BrokerState.TLS_FAILED);
        assertThat(BrokerFailures.classify(wrapped(new ShutdownSignalException(true, false, null, null), new EOFException())))
                .as("plain text to a TLS port: closed before the broker's greeting").isEqualTo(BrokerState.TLS_FAILED);
    }

    @Test
    void aBrokerThatCannotBeReachedOrDropsTheConnectionIsUnreachable() {
        assertThat(BrokerFailures.classify(spring(new ConnectException("Connection refused")))).isEqualTo(BrokerState.BROKER_UNREACHABLE);
        assertThat(BrokerFailures.classify(spring(new UnknownHostException("vep-broker.example")))).isEqualTo(BrokerState.BROKER_UNREACHABLE);
        assertThat(BrokerFailures.classify(spring(new SocketTimeoutException("Connect timed out")))).isEqualTo(BrokerState.BROKER_UNREACHABLE);
        assertThat(BrokerFailures.classify(spring(new TimeoutException()))).isEqualTo(BrokerState.BROKER_UNREACHABLE);
        assertThat(BrokerFailures.classify(wrapped(new ShutdownSignalException(true, false, null, null), new SocketException("Connection reset"))))
                .isEqualTo(BrokerState.BROKER_UNREACHABLE);
        assertThat(BrokerFailures.classify(wrapped(connectionClosed(AMQP.CONNECTION_FORCED,
                "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'", 0, 0)))).isEqualTo(BrokerState.BROKER_UNREACHABLE);
        assertThat(BrokerFailures.cause(spring(new ConnectException("Connection refused")))).isEqualTo("ConnectException: Connection refused");
    }

    @Test
    void anythingElseCountsAsUnreachableAndOtherChannelClosesAreNoRefusal() {
        ShutdownSignalException other = channelClosed(AMQP.PRECONDITION_FAILED, "PRECONDITION_FAILED - unknown delivery tag 7", 60, 80);
        assertThat(BrokerFailures.classify(wrapped(other))).isEqualTo(BrokerState.BROKER_UNREACHABLE);
        assertThat(BrokerFailures.isRefusal(other)).isFalse();
        assertThat(BrokerFailures.classify(new IllegalStateException("surprise"))).isEqualTo(BrokerState.BROKER_UNREACHABLE);
    }

    @Test
    void aCauseChainThatLoopsEnds() {
        IOException outer = new IOException("outer");
        IllegalStateException inner = new IllegalStateException("inner", outer);
        outer.initCause(inner);
        assertThat(BrokerFailures.classify(outer)).isEqualTo(BrokerState.BROKER_UNREACHABLE);
        assertThat(BrokerFailures.cause(outer)).isEqualTo("IllegalStateException: inner");
    }

    private static ShutdownSignalException connectionClosed(int code, String text, int method) {
        return connectionClosed(code, text, CONNECTION_CLASS, method);
    }

    private static ShutdownSignalException connectionClosed(int code, String text, int classId, int method) {
        return new ShutdownSignalException(true, false, new AMQP.Connection.Close.Builder()
                .replyCode(code).replyText(text).classId(classId).methodId(method).build(), null);
    }

    private static ShutdownSignalException channelClosed(int code, String text, int classId, int method) {
        return new ShutdownSignalException(false, false, new AMQP.Channel.Close.Builder()
                .replyCode(code).replyText(text).classId(classId).methodId(method).build(), null);
    }

    /** As the AMQP client throws a shutdown from a call that waited for the broker's reply, converted by Spring AMQP. */
    private static Exception wrapped(ShutdownSignalException signal) {
        return spring(new IOException(signal));
    }

    private static Exception wrapped(ShutdownSignalException signal, Throwable cause) {
        signal.initCause(cause);
        return wrapped(signal);
    }

    private static Exception spring(Throwable clientException) {
        return RabbitExceptionTranslator.convertRabbitAccessException(clientException);
    }
}

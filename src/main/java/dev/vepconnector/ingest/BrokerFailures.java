package dev.vepconnector.ingest;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.MalformedFrameException;
import com.rabbitmq.client.Method;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.springframework.amqp.AmqpAuthenticationException;

/** Why an attempt to connect to VEP's broker and bind the queue failed, read from the exception's cause chain. */
public final class BrokerFailures {

    private static final int CONNECTION_CLASS = 10;
    private static final int START_OK_METHOD = 11;
    private static final int SECURE_OK_METHOD = 21;
    private static final int OPEN_METHOD = 40;
    private static final int QUEUE_CLASS = 50;
    private static final int DECLARE_METHOD = 10;

    private BrokerFailures() {
    }

    /** The state the failure leaves the connector in; anything not recognised counts as an unreachable broker. */
    static BrokerState classify(Throwable failure) {
        for (Throwable t : causeChain(failure)) {
            BrokerState state = classifyOne(t);
            if (state != null) {
                return state;
            }
        }
        return BrokerState.BROKER_UNREACHABLE;
    }

    /** True for a channel the broker closed because it refused an operation: a permission, a missing exchange, a conflicting queue. */
    static boolean isRefusal(ShutdownSignalException signal) {
        return signal.getReason() instanceof AMQP.Channel.Close && classifyClose(signal.getReason()) != null;
    }

    private static BrokerState classifyOne(Throwable t) {
        if (t instanceof PossibleAuthenticationFailureException || t instanceof AmqpAuthenticationException) {
            return BrokerState.LOGIN_REFUSED;
        }
        if (t instanceof SSLException || t instanceof GeneralSecurityException) {
            return BrokerState.TLS_FAILED;
        }
        if (t instanceof ShutdownSignalException signal) {
            return classifyClose(signal.getReason());
        }
        if (t instanceof EOFException || t instanceof MalformedFrameException) {
            // The server closed the connection, or sent something other than AMQP, before the broker's
            // greeting: what a TLS port does when spoken to in plain text.
            return BrokerState.TLS_FAILED;
        }
        if (t instanceof SocketException || t instanceof SocketTimeoutException || t instanceof UnknownHostException
                || t instanceof TimeoutException) {
            return BrokerState.BROKER_UNREACHABLE;
        }
        return null;
    }

    private static BrokerState classifyClose(Method reason) {
        if (reason instanceof AMQP.Connection.Close close) {
            if (isAnswerTo(close, OPEN_METHOD)) {
                return BrokerState.VHOST_NOT_ALLOWED;
            }
            if (isAnswerTo(close, START_OK_METHOD) || isAnswerTo(close, SECURE_OK_METHOD) || close.getReplyCode() == AMQP.ACCESS_REFUSED) {
                return BrokerState.LOGIN_REFUSED;
            }
            return close.getReplyCode() == AMQP.NOT_ALLOWED ? BrokerState.VHOST_NOT_ALLOWED : BrokerState.BROKER_UNREACHABLE;
        }
        if (reason instanceof AMQP.Channel.Close close) {
            return switch (close.getReplyCode()) {
                case AMQP.ACCESS_REFUSED -> BrokerState.PERMISSION_REFUSED;
                // The connector declares its queue itself: what the broker does not find is VEP's exchange.
                case AMQP.NOT_FOUND -> BrokerState.EXCHANGE_MISSING;
                case AMQP.PRECONDITION_FAILED -> close.getClassId() == QUEUE_CLASS && close.getMethodId() == DECLARE_METHOD
                        ? BrokerState.QUEUE_CONFLICT : null;
                default -> null;
            };
        }
        return null;
    }

    /** True when the broker closed the connection in answer to the client's connection method (the login, opening the virtual host). */
    private static boolean isAnswerTo(AMQP.Connection.Close close, int connectionMethod) {
        return close.getClassId() == CONNECTION_CLASS && close.getMethodId() == connectionMethod;
    }

    /**
     * What went wrong in a few words, for the log and the health details: the broker's own reply when it
     * gave one ({@code NOT_ALLOWED - access to vhost 'x' refused for user 'y'}), else the TLS error, else
     * the innermost exception.
     */
    public static String cause(Throwable failure) {
        Throwable innermost = failure;
        SSLException tls = null;
        for (Throwable t : causeChain(failure)) {
            String reply = t instanceof ShutdownSignalException signal ? replyText(signal.getReason()) : null;
            if (reply != null) {
                return reply;
            }
            if (tls == null && t instanceof SSLException ssl) {
                tls = ssl;
            }
            innermost = t;
        }
        return describe(tls != null ? tls : innermost);
    }

    private static String replyText(Method reason) {
        if (reason instanceof AMQP.Connection.Close close) {
            return close.getReplyText();
        }
        return reason instanceof AMQP.Channel.Close close ? close.getReplyText() : null;
    }

    private static String describe(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** The failure and its causes, outermost first, each once (a chain may loop). */
    private static List<Throwable> causeChain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}

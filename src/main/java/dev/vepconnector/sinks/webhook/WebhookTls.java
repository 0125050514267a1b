package dev.vepconnector.sinks.webhook;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.ssl.SslBundles;

/**
 * {@code vep.sinks.webhook.ssl-bundle}: a receiver whose certificate a private CA signed. The CAs of
 * that Spring Boot SSL bundle are trusted by the {@code https} component beside the JVM's own, so the
 * webhook route's plain {@code to: https://...} verifies the receiver, and other routes' public HTTPS
 * peers keep working. (An endpoint's own {@code sslContextParameters} would also make camel-http treat
 * an {@code http://} URL as HTTPS.)
 */
@org.springframework.stereotype.Component
@ConditionalOnProperty(prefix = "vep.sinks.webhook", name = {"enabled", "ssl-bundle"})
class WebhookTls implements ComponentCustomizer {

    private final SSLContext context;

    WebhookTls(WebhookSinkProperties properties, SslBundles bundles) throws GeneralSecurityException {
        X509TrustManager bundle = x509(bundles.getBundle(properties.sslBundle()).getManagers().getTrustManagers());
        X509TrustManager jvm = x509(jvmTrustManagers());
        context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new EitherTrustManager(bundle, jvm)}, null);
    }

    @Override
    public boolean isEnabled(String name, Component target) {
        return "https".equals(name) && target instanceof HttpComponent;
    }

    @Override
    public void configure(String name, Component target) {
        ((HttpComponent) target).setSslContextParameters(new SSLContextParameters() {
            @Override
            public SSLContext createSSLContext(CamelContext camelContext) {
                return context;
            }
        });
    }

    private static TrustManager[] jvmTrustManagers() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        return factory.getTrustManagers();
    }

    private static X509TrustManager x509(TrustManager[] managers) {
        for (TrustManager manager : managers) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("The SSL bundle of vep.sinks.webhook.ssl-bundle holds no X.509 trust material");
    }

    /** Trusts a chain either manager trusts. */
    private record EitherTrustManager(X509TrustManager first, X509TrustManager second) implements X509TrustManager {

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                first.checkServerTrusted(chain, authType);
            } catch (CertificateException notByTheFirst) {
                second.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            first.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> issuers = new ArrayList<>(List.of(first.getAcceptedIssuers()));
            issuers.addAll(List.of(second.getAcceptedIssuers()));
            return issuers.toArray(X509Certificate[]::new);
        }
    }
}

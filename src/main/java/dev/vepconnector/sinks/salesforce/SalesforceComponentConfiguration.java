package dev.vepconnector.sinks.salesforce;

import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code salesforce} Camel component the route's {@code to: salesforce:raw} uses, logged in with the
 * connector's {@code vep.sinks.salesforce.*} settings: OAuth JWT bearer or client credentials, a new
 * token and one repeat of the request on INVALID_SESSION_ID (camel-salesforce does both).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "vep.sinks.salesforce", name = "enabled", havingValue = "true")
class SalesforceComponentConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SalesforceComponentConfiguration.class);

    @Bean("salesforce")
    SalesforceComponent salesforce(SalesforceSinkProperties properties) {
        SalesforceSinkProperties.Auth auth = properties.auth();
        require(auth.clientId(), "auth.client-id");
        SalesforceComponent component = new SalesforceComponent();
        component.setLoginUrl(properties.loginUrl());
        component.setClientId(auth.clientId());
        // Records go out as raw JSON (no generated DTOs): nothing to scan but this small package.
        component.setPackages(SalesforceComponentConfiguration.class.getPackageName());
        // Log in on the first delivery, not at start: Salesforce being unreachable must not stop the connector.
        component.setLazyLogin(true);
        if (auth.flow() == SalesforceSinkProperties.Flow.CLIENT_CREDENTIALS) {
            require(auth.clientSecret(), "auth.client-secret");
            component.setAuthenticationType(AuthenticationType.CLIENT_CREDENTIALS);
            component.setClientSecret(auth.clientSecret());
        } else {
            require(auth.username(), "auth.username");
            require(auth.keystore(), "auth.keystore");
            component.setAuthenticationType(AuthenticationType.JWT);
            component.setUserName(auth.username());
            component.setKeystore(keystore(auth));
        }
        log.info("Salesforce sink: {} flow at {}, mapping {}, customer matching {}, activities {}", auth.flow(), properties.loginUrl(),
                properties.mapping(), properties.customerMatching().enabled() ? properties.customerMatching().rules() : "off",
                properties.activityEnabled() ? "on" : "off");
        return component;
    }

    private static KeyStoreParameters keystore(SalesforceSinkProperties.Auth auth) {
        KeyStoreParameters keystore = new KeyStoreParameters();
        keystore.setResource(auth.keystore());
        keystore.setPassword(auth.keystorePassword());
        keystore.setType("PKCS12");
        return keystore;
    }

    private static void require(String value, String property) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("vep.sinks.salesforce." + property + " is required for the configured flow");
        }
    }
}

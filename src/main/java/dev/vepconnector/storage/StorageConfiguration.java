package dev.vepconnector.storage;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}

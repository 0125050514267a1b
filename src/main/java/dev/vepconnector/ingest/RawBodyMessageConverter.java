package dev.vepconnector.ingest;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.stereotype.Component;

/**
 * Hands the consumer the body bytes untouched. Camel's default converter decodes text/* bodies
 * with the declared charset, which would hide bytes that are not UTF-8 from validation and
 * change what is kept in dead letters.
 */
@Component("rawBodyConverter")
public class RawBodyMessageConverter implements MessageConverter {

    @Override
    public Message toMessage(Object object, MessageProperties properties) {
        byte[] body = object instanceof byte[] bytes ? bytes : String.valueOf(object).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new Message(body, properties);
    }

    @Override
    public Object fromMessage(Message message) {
        return message.getBody();
    }
}

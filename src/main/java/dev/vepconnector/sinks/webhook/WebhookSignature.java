package dev.vepconnector.sinks.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): {@code v1,<base64 HMAC-SHA256 of
 * "<id>.<timestamp>.<body>">}, one per secret, space-separated, so a receiver can rotate its secret.
 */
final class WebhookSignature {

    private static final String PREFIX = "whsec_";

    private final List<byte[]> keys;

    /** @param secrets one or more secrets separated by spaces: {@code whsec_<base64>} or plain strings */
    WebhookSignature(String secrets) {
        this.keys = new ArrayList<>();
        for (String secret : secrets.trim().split("\\s+")) {
            keys.add(secret.startsWith(PREFIX)
                    ? Base64.getDecoder().decode(secret.substring(PREFIX.length()))
                    : secret.getBytes(StandardCharsets.UTF_8));
        }
    }

    String sign(String id, long timestamp, byte[] body) {
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        List<String> signatures = new ArrayList<>();
        for (byte[] key : keys) {
            signatures.add("v1," + Base64.getEncoder().encodeToString(hmac(key, prefix, body)));
        }
        return String.join(" ", signatures);
    }

    private static byte[] hmac(byte[] key, byte[] prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(prefix);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "WebhookSignature[" + keys.size() + " secret(s)]";
    }
}

package dev.vepconnector.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Set;
import java.util.stream.Collectors;

/** The project's copy of the case-record JSON schema (contracts/case-record.schema.json), as a validator. */
public final class CaseRecordSchema {

    private static final JsonSchema SCHEMA = load();

    private CaseRecordSchema() {
    }

    /** The schema violations of a record; empty when it is valid. */
    public static String violations(JsonNode record) {
        Set<ValidationMessage> messages = SCHEMA.validate(record);
        return messages.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; "));
    }

    private static JsonSchema load() {
        // Loaded by location, so the schema's relative $id resolves against it.
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of("classpath:contracts/case-record.schema.json"));
    }
}

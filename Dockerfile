# vep-connector container image: Spring Boot layered jar on a JRE, non-root, with a class data
# sharing (CDS) archive of the application's classes for a faster start. target/demo is the same
# layout (the extracted jar, the archive, the entrypoint), built by mvn package.
# Build the jar first (mvn -B package -DskipTests), then: docker build -t vep-connector .
FROM eclipse-temurin:17-jre AS layers
WORKDIR /build
COPY target/vep-connector.jar vep-connector.jar
# Extracted as a plain jar with its libraries beside it (lib/), not the nested-jar launcher layout:
# CDS can only archive classes loaded from jar files on the class path.
RUN java -Djarmode=tools -jar vep-connector.jar extract --layers --destination extracted

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 vep && useradd --system --uid 10001 --gid vep --home-dir /app --shell /usr/sbin/nologin vep
WORKDIR /app
# least-changing layers first, so a code change rebuilds only the last ones
COPY --from=layers /build/extracted/dependencies/ ./
COPY --from=layers /build/extracted/spring-boot-loader/ ./
COPY --from=layers /build/extracted/snapshot-dependencies/ ./
COPY --from=layers /build/extracted/application/ ./
COPY deploy/docker/vep-connector.sh ./
# CDS training run (Spring Boot's documented one): starts the application up to the refreshed Spring
# context, which connects to nothing (default profile, embedded database in a scratch directory), and
# archives every class it loaded. The archive is only valid for this JRE, these exact jars and a
# class path that starts with the one it was made with, so it is built here, in the image that runs
# it, with the entrypoint's class path (extension jars from LOADER_PATH come after it, and it still
# serves the rest). -Xmx keeps compressed oops on as in the pod (a heap over 32 GB would turn them
# off and the JVM would then ignore the archive).
RUN java -Xmx512m -XX:ArchiveClassesAtExit=vep-connector.jsa -Dspring.context.exit=onRefresh \
        -cp /app/vep-connector.jar dev.vepconnector.VepConnectorApplication --vep.data-directory=/tmp/cds-training --logging.level.root=WARN \
    && rm -rf /tmp/cds-training
RUN mkdir -p /app/data && chown vep:vep /app/data
USER 10001:10001
# Container-aware memory: the heap follows the pod's memory limit.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError" \
    VEP_DATA_DIRECTORY=/app/data
EXPOSE 8080 8081
# java -XX:SharedArchiveFile=vep-connector.jsa -cp vep-connector.jar[:LOADER_PATH's jars] <main class>:
# components the image does not ship go in a mounted folder named by LOADER_PATH (docs/extensions.md).
# Without the archive (or with another JRE) the JVM silently starts without it, just slower.
ENTRYPOINT ["/app/vep-connector.sh"]

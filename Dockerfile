# vep-connector container image: Spring Boot layered jar on a JRE, non-root.
# Build the jar first (mvn -B package -DskipTests), then: docker build -t vep-connector .
FROM eclipse-temurin:17-jre AS layers
WORKDIR /build
COPY target/vep-connector.jar app.jar
RUN java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 vep && useradd --system --uid 10001 --gid vep --home-dir /app --shell /usr/sbin/nologin vep
WORKDIR /app
# least-changing layers first, so a code change rebuilds only the last one
COPY --from=layers /build/extracted/dependencies/ ./
COPY --from=layers /build/extracted/spring-boot-loader/ ./
COPY --from=layers /build/extracted/snapshot-dependencies/ ./
COPY --from=layers /build/extracted/application/ ./
RUN mkdir -p /app/data && chown vep:vep /app/data
USER 10001:10001
# Container-aware memory: the heap follows the pod's memory limit.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError" \
    VEP_DATA_DIRECTORY=/app/data
EXPOSE 8080 8081
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]

# syntax=docker/dockerfile:1
#
# One image per service, all from this file (needs BuildKit: Docker 23+, or buildah/podman):
#
#   docker build --build-arg SERVICE=gateway-service -t pocketbridge/gateway-service:0.1.0-SNAPSHOT .
#
# SERVICE is one of auth-service, device-service, event-service, relay-service, gateway-service.
# `docker compose build` builds all five (see docker-compose.yml); docs/deployment.md has the rest.
#
# Stage 1 builds the service with the Maven wrapper and splits its Spring Boot jar into layers
# (dependencies, loader, snapshot dependencies, application), so a change to the code rebuilds only
# the last, small layer of the image. Stage 2 is a JRE with those layers, run as a non-root user.

ARG JDK_IMAGE=eclipse-temurin:25-jdk-noble
ARG JRE_IMAGE=eclipse-temurin:25-jre-noble

FROM ${JDK_IMAGE} AS build
ARG SERVICE
WORKDIR /src
COPY . .
# The cache mount keeps Maven's downloads between builds of the five images.
RUN --mount=type=cache,target=/root/.m2 \
    case "${SERVICE}" in \
      auth-service|device-service|event-service|relay-service|gateway-service) ;; \
      *) echo "build with --build-arg SERVICE=<auth|device|event|relay|gateway>-service (got '${SERVICE}')" >&2; exit 1 ;; \
    esac \
 && ./mvnw -B -q -pl "${SERVICE}" -am -DskipTests package \
 && java -Djarmode=tools -jar "${SERVICE}/target/${SERVICE}-exec.jar" extract --layers --launcher --destination /layers

FROM ${JRE_IMAGE}
ARG SERVICE
LABEL org.opencontainers.image.title="pocketbridge-${SERVICE}" \
      org.opencontainers.image.description="PocketBridge ${SERVICE}"
# A fixed numeric id, so that Kubernetes' runAsNonRoot can check it without reading /etc/passwd.
RUN groupadd --system --gid 10001 pocketbridge \
 && useradd --system --uid 10001 --gid pocketbridge --home-dir /app --no-create-home --shell /usr/sbin/nologin pocketbridge \
 && mkdir -p /var/lib/pocketbridge \
 && chown pocketbridge:pocketbridge /var/lib/pocketbridge
WORKDIR /app
# Least to most often changed: each is its own image layer.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
COPY --chmod=0755 deploy/docker/healthcheck /usr/local/bin/pocketbridge-healthcheck
# PB_SERVICE tells the health check which management port to ask.
# JDK_JAVA_OPTIONS is read by the java launcher itself: the heap follows the container's memory
# limit (70 %, the rest is metaspace, code cache, thread stacks and Netty's direct buffers), and an
# OutOfMemoryError ends the process so that the restart policy or the kubelet starts a fresh one.
# Setting JDK_JAVA_OPTIONS replaces these flags: repeat them when adding others (e.g. -XX:+UseZGC).
# Log lines are JSON (ECS structured logging, docs/tracing-and-logs.md); an empty
# LOGGING_STRUCTURED_FORMAT_CONSOLE gives text lines.
# The gateway writes a generated server identity key here when none is configured (one node only).
ENV PB_SERVICE=${SERVICE} \
    JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError" \
    LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs \
    POCKETBRIDGE_GATEWAY_IDENTITY_KEYFILE=/var/lib/pocketbridge/server-identity.key
USER 10001:10001
# Application ports 8080-8084 and management (actuator) ports 9080-9084; only the gateway's 8080
# is meant to be reachable from outside.
EXPOSE 8080 8081 8082 8083 8084 9080 9081 9082 9083 9084
HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=3 CMD ["pocketbridge-healthcheck"]
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]

# syntax=docker/dockerfile:1
# Build: the jar, with the Maven wrapper, on a JDK image.
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -ntp -q dependency:go-offline
COPY components/ components/
COPY src/ src/
RUN ./mvnw -B -ntp -q package -DskipTests

# Run: a glibc JRE (llama.cpp's natives need glibc), as a non-root user.
FROM eclipse-temurin:21-jre
RUN useradd --system --uid 10001 --home-dir /app crossword
WORKDIR /app
COPY --from=build /src/target/crossword-helper.jar /app/crossword-helper.jar
USER crossword
EXPOSE 8080
ENV CROSSWORD_PORT=8080
# bash's /dev/tcp keeps the check free of curl and of a second JVM.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "-XX:+UseContainerSupport", "-XX:MaxRAMPercentage=75", "-jar", "/app/crossword-helper.jar"]

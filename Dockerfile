# Build: docker build -t <registry>/alb-ingress-controller:0.1.0 .
# Stage 1 builds the shaded jar with Maven; stage 2 runs it on a JRE only.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# dependencies first: this layer is reused while only sources change
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /build/target/alb-ingress-controller.jar /app/alb-ingress-controller.jar
# AppCDS: the classes a controller loads up to its first reconciles (hack/cds-class-list) dumped into
# an archive now, so each start maps them instead of loading and verifying them (PackagedJarIT checks the list)
COPY src/main/cds/classes.lst.gz /app/classes.lst.gz
RUN gunzip /app/classes.lst.gz \
 && java -Xshare:dump -XX:SharedClassListFile=/app/classes.lst -XX:SharedArchiveFile=/app/alb-ingress-controller.jsa \
      -cp /app/alb-ingress-controller.jar > /dev/null \
 && rm /app/classes.lst
# numeric, so Kubernetes can check runAsNonRoot without knowing the image's users
USER 65532:65532
EXPOSE 9443 8080 8081
# JVM flags: src/main/jvm/jvm.options, the one file hack/run-local and the benchmarks use too
COPY src/main/jvm/jvm.options /app/jvm.options
ENTRYPOINT ["java", "@/app/jvm.options", "-XX:SharedArchiveFile=/app/alb-ingress-controller.jsa", \
  "-jar", "/app/alb-ingress-controller.jar", "controller"]

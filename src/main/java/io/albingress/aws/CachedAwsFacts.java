package io.albingress.aws;

import io.albingress.model.Certificate;
import io.albingress.model.Known;
import io.albingress.model.SecurityGroupSummary;
import io.albingress.model.Subnet;
import io.albingress.validation.AwsFacts;
import io.albingress.webhook.AwsFactsSource;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.acm.model.CertificateSummary;
import software.amazon.awssdk.services.acm.model.Filters;
import software.amazon.awssdk.services.acm.model.KeyAlgorithm;
import software.amazon.awssdk.services.acm.model.ListCertificatesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSubnetsRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The VPC's subnets and the region's ACM certificates, each fetched with one paginated listing and
 * cached, so validating many Ingresses costs a handful of AWS calls. Answers within a deadline.
 */
public final class CachedAwsFacts implements AwsFactsSource {
  private final Vertx vertx;
  private final AwsClients aws;
  private final Duration deadline;
  private final AsyncCache<List<Subnet>> subnets;
  private final AsyncCache<List<Certificate>> certificates;
  private final AsyncCache<List<SecurityGroupSummary>> securityGroups;

  public CachedAwsFacts(Vertx vertx, AwsClients aws, String vpcId, Duration ttl, Duration deadline) {
    this.vertx = vertx;
    this.aws = aws;
    this.deadline = deadline;
    this.subnets = new AsyncCache<>(() -> fetchSubnets(vpcId), ttl, Duration.ofSeconds(10));
    this.certificates = new AsyncCache<>(this::fetchCertificates, ttl, Duration.ofSeconds(10));
    this.securityGroups = new AsyncCache<>(() -> fetchSecurityGroups(vpcId), ttl, Duration.ofSeconds(10));
  }

  @Override
  public Future<AwsFacts> lookup(AwsFacts.Needs needs) {
    Future<Known<List<Subnet>>> s = needs.subnets() ? known(subnets.get(), "EC2 DescribeSubnets") : notNeeded();
    Future<Known<List<Certificate>>> c = needs.certificates() ? known(certificates.get(), "ACM ListCertificates") : notNeeded();
    Future<Known<List<SecurityGroupSummary>>> g = needs.securityGroups()
        ? known(securityGroups.get(), "EC2 DescribeSecurityGroups") : notNeeded();
    return Future.all(s, c, g).map(all -> new AwsFacts(s.result(), c.result(), g.result()));
  }

  public Future<List<Subnet>> subnets() {
    return subnets.get();
  }

  public Future<List<Certificate>> certificates() {
    return certificates.get();
  }

  private static <T> Future<Known<T>> notNeeded() {
    return Future.succeededFuture(Known.unknown("not needed"));
  }

  /** A lookup that never fails: a timeout or an AWS error becomes an unknown with its reason. */
  private <T> Future<Known<T>> known(Future<T> lookup, String call) {
    Promise<Known<T>> promise = Promise.promise();
    long timer = vertx.setTimer(deadline.toMillis(), id ->
        promise.tryComplete(Known.unknown(call + " did not answer within " + deadline.toMillis() + " ms")));
    lookup.onComplete(ar -> {
      vertx.cancelTimer(timer);
      promise.tryComplete(ar.succeeded() ? Known.of(ar.result())
          : Known.unknown(call + " failed: " + io.albingress.annotations.FieldError.abbreviate(String.valueOf(ar.cause().getMessage()))));
    });
    return promise.future();
  }

  private Future<List<Subnet>> fetchSubnets(String vpcId) {
    List<Filter> filters = vpcId.isEmpty() ? List.of() : List.of(Filter.builder().name("vpc-id").values(vpcId).build());
    return Paging.all(
        token -> aws.call(() -> aws.ec2().describeSubnets(DescribeSubnetsRequest.builder().filters(filters).nextToken(token).build())),
        r -> r.subnets().stream().map(s -> new Subnet(s.subnetId(), s.availabilityZone(), s.vpcId(), tags(s.tags()))).toList(),
        r -> r.nextToken());
  }

  /** The VPC's groups, IDs and Name tags only: what admission checks `security-groups` against. */
  private Future<List<SecurityGroupSummary>> fetchSecurityGroups(String vpcId) {
    List<Filter> filters = vpcId.isEmpty() ? List.of() : List.of(Filter.builder().name("vpc-id").values(vpcId).build());
    return Paging.all(
        token -> aws.call(() -> aws.ec2().describeSecurityGroups(b -> b.filters(filters).maxResults(1000).nextToken(token))),
        r -> r.securityGroups().stream().map(g -> new SecurityGroupSummary(g.groupId(), tags(g.tags()).getOrDefault("Name", ""))).toList(),
        r -> r.nextToken());
  }

  private Future<List<Certificate>> fetchCertificates() {
    // every key type: ListCertificates returns only RSA_2048 certificates unless asked
    Filters keyTypes = Filters.builder().keyTypes(KeyAlgorithm.RSA_1024, KeyAlgorithm.RSA_2048, KeyAlgorithm.RSA_3072,
        KeyAlgorithm.RSA_4096, KeyAlgorithm.EC_PRIME256_V1, KeyAlgorithm.EC_SECP384_R1, KeyAlgorithm.EC_SECP521_R1).build();
    return Paging.all(
            token -> aws.call(() -> aws.acm().listCertificates(ListCertificatesRequest.builder().includes(keyTypes).nextToken(token).build())),
            r -> r.certificateSummaryList(), r -> r.nextToken())
        .compose(this::withDomains);
  }

  /** Summaries usually carry the SANs; only certificates whose summary lacks them are described. */
  private Future<List<Certificate>> withDomains(List<CertificateSummary> summaries) {
    List<Future<Certificate>> all = new ArrayList<>();
    for (CertificateSummary s : summaries) {
      if (s.hasSubjectAlternativeNameSummaries() && !s.subjectAlternativeNameSummaries().isEmpty()) {
        all.add(Future.succeededFuture(new Certificate(s.certificateArn(), s.statusAsString(), s.subjectAlternativeNameSummaries())));
      } else {
        all.add(aws.call(() -> aws.acm().describeCertificate(b -> b.certificateArn(s.certificateArn())))
            .map(d -> d.certificate())
            .map(c -> new Certificate(c.certificateArn(), c.statusAsString(), domains(c.domainName(), c.subjectAlternativeNames()))));
      }
    }
    return Future.all(all).map(f -> f.<Certificate>list());
  }

  private static List<String> domains(String domain, List<String> sans) {
    List<String> all = new ArrayList<>();
    all.add(domain);
    sans.stream().filter(s -> !s.equals(domain)).forEach(all::add);
    return all;
  }

  static Map<String, String> tags(List<Tag> tags) {
    return tags.stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> a));
  }

}

package io.albingress.aws;

import io.albingress.model.Certificate;
import io.albingress.model.Known;
import io.albingress.model.SecurityGroupSummary;
import io.albingress.model.Subnet;
import io.albingress.validation.AwsFacts;
import io.albingress.webhook.AwsFactsSource;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
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
 *
 * <p>An explicitly named certificate ARN or subnet ID missing from the cached list is looked up on
 * its own (one lookup in flight per item) before anyone is told it does not exist: a certificate
 * imported after the listing is found and joins the cache; only AWS saying "not found" makes it
 * absent, any other failure leaves it unverified. Fetches run on this cache's own event-loop context
 * and every caller gets its answer on its own context, never waiting on another verticle.
 */
public final class CachedAwsFacts implements AwsFactsSource {
  private static final Logger LOG = LoggerFactory.getLogger(CachedAwsFacts.class);
  private final Vertx vertx;
  private final AwsClients aws;
  private final String vpcId;
  private final Duration deadline;
  private final AsyncCache<List<Subnet>> subnets;
  private final AsyncCache<List<Certificate>> certificates;
  private final SingleFlight<String, Optional<Subnet>> subnetById;
  private final SingleFlight<String, Optional<Certificate>> certificateByArn;
  private final AsyncCache<List<SecurityGroupSummary>> securityGroups;

  public CachedAwsFacts(Vertx vertx, AwsClients aws, String vpcId, Duration ttl, Duration deadline) {
    this(vertx, ((VertxInternal) vertx).createEventLoopContext(), aws, vpcId, ttl, deadline);
  }

  CachedAwsFacts(Vertx vertx, Context home, AwsClients aws, String vpcId, Duration ttl, Duration deadline) {
    this.vertx = vertx;
    this.aws = aws;
    this.vpcId = vpcId;
    this.deadline = deadline;
    this.subnets = new AsyncCache<>(home, () -> fetchSubnets(vpcId), ttl, Duration.ofSeconds(10));
    this.certificates = new AsyncCache<>(home, this::fetchCertificates, ttl, Duration.ofSeconds(10));
    this.subnetById = new SingleFlight<>(home, this::describeSubnet);
    this.certificateByArn = new SingleFlight<>(home, this::describeCertificate);
    this.securityGroups = new AsyncCache<>(home, () -> fetchSecurityGroups(vpcId), ttl, Duration.ofSeconds(10));
  }

  @Override
  public Future<AwsFacts> lookup(AwsFacts.Needs needs) {
    Future<Known<List<Subnet>>> s = needs.subnets() ? known(subnets.get(), "EC2 DescribeSubnets") : notNeeded();
    Future<Known<List<Certificate>>> c = needs.certificates() ? known(certificates.get(), "ACM ListCertificates") : notNeeded();
    Future<Known<List<SecurityGroupSummary>>> g = needs.securityGroups()
        ? known(securityGroups.get(), "EC2 DescribeSecurityGroups") : notNeeded();
    return Future.all(s, c, g).compose(all -> {
      Map<String, String> unverified = new ConcurrentHashMap<>();
      Future<Known<List<Subnet>>> sf = withMissing(s.result(), needs.subnetIds(), Subnet::id, subnetById, subnets,
          "EC2 DescribeSubnets", unverified);
      Future<Known<List<Certificate>>> cf = withMissing(c.result(), needs.certificateArns(), Certificate::arn, certificateByArn,
          certificates, "ACM DescribeCertificate", unverified);
      return Future.all(sf, cf).map(v -> new AwsFacts(sf.result(), cf.result(), g.result(), Map.copyOf(unverified)));
    });
  }

  public Future<List<Subnet>> subnets() {
    return subnets.get();
  }

  public Future<List<Certificate>> certificates() {
    return certificates.get();
  }

  /**
   * The listing plus the named items it lacks, each looked up on its own: found ones join the list
   * (and the cache), ones AWS says do not exist stay out, ones it could not answer for are unverified.
   */
  private <T> Future<Known<List<T>>> withMissing(Known<List<T>> listed, List<String> named, Function<T, String> id,
      SingleFlight<String, Optional<T>> single, AsyncCache<List<T>> cache, String call, Map<String, String> unverified) {
    if (!listed.known() || named.isEmpty()) {
      return Future.succeededFuture(listed);
    }
    Set<String> have = listed.get().stream().map(id).collect(Collectors.toSet());
    List<String> missing = named.stream().distinct().filter(n -> !have.contains(n)).toList();
    if (missing.isEmpty()) {
      return Future.succeededFuture(listed);
    }
    List<Future<Known<Optional<T>>>> lookups = missing.stream().map(m -> known(single.get(m), call + " " + m)).toList();
    return Future.all(lookups).map(v -> {
      List<T> all = new ArrayList<>(listed.get());
      for (int i = 0; i < missing.size(); i++) {
        Known<Optional<T>> found = lookups.get(i).result();
        if (!found.known()) {
          unverified.put(missing.get(i), found.unknownReason());
        } else if (found.get().isPresent()) {
          T item = found.get().get();
          all.add(item);
          cache.update(list -> list.stream().anyMatch(x -> id.apply(x).equals(id.apply(item))) ? list : append(list, item));
        }
      }
      return Known.of(List.copyOf(all));
    });
  }

  private static <T> List<T> append(List<T> list, T item) {
    List<T> longer = new ArrayList<>(list);
    longer.add(item);
    return List.copyOf(longer);
  }

  private static <T> Future<Known<T>> notNeeded() {
    return Future.succeededFuture(Known.unknown("not needed"));
  }

  /** A lookup that never fails: a timeout or an AWS error becomes an unknown with its reason. */
  private <T> Future<Known<T>> known(Future<T> lookup, String call) {
    if (lookup.isComplete()) {
      return Future.succeededFuture(lookup.succeeded() ? Known.of(lookup.result()) : Known.unknown(failed(call, lookup.cause())));
    }
    Promise<Known<T>> promise = Promise.promise();
    long timer = vertx.setTimer(deadline.toMillis(), id ->
        promise.tryComplete(Known.unknown(call + " did not answer within " + deadline.toMillis() + " ms")));
    lookup.onComplete(ar -> {
      vertx.cancelTimer(timer);
      promise.tryComplete(ar.succeeded() ? Known.of(ar.result()) : Known.unknown(failed(call, ar.cause())));
    });
    return promise.future();
  }

  private static String failed(String call, Throwable cause) {
    return call + " failed: " + io.albingress.annotations.FieldError.abbreviate(String.valueOf(unwrap(cause).getMessage()));
  }

  /** One subnet by ID; empty when EC2 says it does not exist (or it is in another VPC). */
  private Future<Optional<Subnet>> describeSubnet(String subnetId) {
    return aws.call(() -> aws.ec2().describeSubnets(DescribeSubnetsRequest.builder().subnetIds(subnetId).build()))
        .map(r -> r.subnets().stream().map(CachedAwsFacts::subnet).filter(s -> vpcId.isEmpty() || vpcId.equals(s.vpcId())).findFirst())
        .recover(e -> notFound(e, "InvalidSubnetID.NotFound", "InvalidSubnetID.Malformed") ? Future.succeededFuture(Optional.empty())
            : Future.failedFuture(unwrap(e)))
        .onSuccess(s -> LOG.debug("looked up subnet {} on its own: {}", subnetId, s.isPresent() ? "found" : "not found"));
  }

  /** One ACM certificate by ARN; empty when ACM says it does not exist. */
  private Future<Optional<Certificate>> describeCertificate(String arn) {
    return aws.call(() -> aws.acm().describeCertificate(b -> b.certificateArn(arn)))
        .map(d -> Optional.of(new Certificate(d.certificate().certificateArn(), d.certificate().statusAsString(),
            domains(d.certificate().domainName(), d.certificate().subjectAlternativeNames()))))
        .recover(e -> notFound(e, "ResourceNotFoundException", "InvalidArnException") ? Future.succeededFuture(Optional.empty())
            : Future.failedFuture(unwrap(e)))
        .onSuccess(c -> LOG.debug("looked up certificate {} on its own: {}", arn, c.isPresent() ? "found" : "not found"));
  }

  /** True only when AWS itself answered that the item does not exist. */
  static boolean notFound(Throwable e, String... codes) {
    if (unwrap(e) instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
      String code = aws.awsErrorDetails().errorCode();
      return code != null && List.of(codes).contains(code);
    }
    return false;
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static Subnet subnet(software.amazon.awssdk.services.ec2.model.Subnet s) {
    return new Subnet(s.subnetId(), s.availabilityZone(), s.vpcId(), tags(s.tags()));
  }

  private Future<List<Subnet>> fetchSubnets(String vpcId) {
    List<Filter> filters = vpcId.isEmpty() ? List.of() : List.of(Filter.builder().name("vpc-id").values(vpcId).build());
    return Paging.all(
        token -> aws.call(() -> aws.ec2().describeSubnets(DescribeSubnetsRequest.builder().filters(filters).nextToken(token).build())),
        r -> r.subnets().stream().map(CachedAwsFacts::subnet).toList(),
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

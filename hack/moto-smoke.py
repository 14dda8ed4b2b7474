#!/usr/bin/env python3
"""Smoke test of moto's ELBv2 emulation against the seeded test environment.

    source target/testenv/env.sh && "$TESTENV_MOTO_PYTHON" hack/moto-smoke.py

Part 1 runs the calls the controller relies on (create LB / target groups / HTTPS listener
with the seeded certificate / rules, tags, targets, modifications, deletes) and fails when one
of them does not work. Part 2 probes what real AWS rejects or reports and prints, per probe,
whether moto does the same (AWS-LIKE) or not (GAP), so tests know not to lean on the emulator
there. Everything it creates is deleted again; exit 1 when part 1 fails.
"""

import json
import os
import sys

import boto3
from botocore.exceptions import ClientError

ENDPOINT = os.environ.get("AWS_ENDPOINT_URL")
REGION = os.environ.get("AWS_REGION", "us-west-2")
SEED = os.environ.get("TESTENV_SEED_JSON", "target/testenv/seed.json")
PREFIX = "smoke"

failures = []
gaps = []


def check(name, fn):
    try:
        out = fn()
        print(f"ok    {name}")
        return out
    except Exception as e:  # noqa: BLE001 - report and go on
        print(f"FAIL  {name}: {e}")
        failures.append(name)
        return None


def probe(name, fn, aws_error):
    """aws_error: the error code real AWS answers with, or None when AWS accepts the call."""
    try:
        got = fn()
        code = None
    except ClientError as e:
        got, code = None, e.response["Error"]["Code"]
    except Exception as e:  # noqa: BLE001
        got, code = None, f"{type(e).__name__}: {e}"
    if code == aws_error:
        print(f"AWS-LIKE  {name}: {code or 'accepted'}")
    else:
        gaps.append(name)
        print(f"GAP       {name}: AWS -> {aws_error or 'accepted'}, moto -> {code or 'accepted'}")
    return got


def expect(cond, msg):
    if not cond:
        raise AssertionError(msg)


def main():
    if not ENDPOINT:
        raise SystemExit("AWS_ENDPOINT_URL is not set: source target/testenv/env.sh")
    with open(SEED) as f:
        seed = json.load(f)
    s = boto3.session.Session(region_name=REGION)
    elb = s.client("elbv2", endpoint_url=ENDPOINT)
    public = [x["id"] for x in seed["subnets"] if x["role"] == "public"]
    private = [x["id"] for x in seed["subnets"] if x["role"] == "private"]
    vpc, sg, cert = seed["vpcId"], seed["securityGroupId"], seed["certificateArn"]
    inst = [i["id"] for i in seed["instances"]]
    tag = [{"Key": "elbv2.k8s.aws/cluster", "Value": seed["cluster"]}]

    print("== part 1: calls the controller needs")
    lb = check("CreateLoadBalancer (application, internet-facing, tags)", lambda: elb.create_load_balancer(
        Name=f"{PREFIX}-lb", Subnets=public, SecurityGroups=[sg], Scheme="internet-facing",
        Type="application", IpAddressType="ipv4", Tags=tag)["LoadBalancers"][0])
    if lb is None:
        raise SystemExit(1)
    lb_arn = lb["LoadBalancerArn"]
    check("LB has DNSName and State", lambda: (lb["DNSName"], lb["State"]["Code"]))
    tg = check("CreateTargetGroup (instance, HTTP:80, health check)", lambda: elb.create_target_group(
        Name=f"{PREFIX}-tg", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="instance",
        HealthCheckPath="/healthz", HealthCheckProtocol="HTTP", Matcher={"HttpCode": "200"},
        Tags=tag)["TargetGroups"][0])
    tg_arn = tg["TargetGroupArn"]
    tg_ip = check("CreateTargetGroup (ip)", lambda: elb.create_target_group(
        Name=f"{PREFIX}-tg-ip", Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="ip",
        Tags=tag)["TargetGroups"][0])
    tg_ip_arn = tg_ip["TargetGroupArn"]
    https = check("CreateListener HTTPS:443 with the seeded certificate", lambda: elb.create_listener(
        LoadBalancerArn=lb_arn, Protocol="HTTPS", Port=443, Certificates=[{"CertificateArn": cert}],
        SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06",
        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg_arn}], Tags=tag)["Listeners"][0])
    https_arn = https["ListenerArn"]
    http = check("CreateListener HTTP:80 redirect to HTTPS", lambda: elb.create_listener(
        LoadBalancerArn=lb_arn, Protocol="HTTP", Port=80,
        DefaultActions=[{"Type": "redirect", "RedirectConfig": {
            "Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}])["Listeners"][0])
    rule = check("CreateRule host+path, priority 10, weighted forward", lambda: elb.create_rule(
        ListenerArn=https_arn, Priority=10,
        Conditions=[{"Field": "host-header", "HostHeaderConfig": {"Values": ["app.example.test"]}},
                    {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*"]}}],
        Actions=[{"Type": "forward", "ForwardConfig": {"TargetGroups": [
            {"TargetGroupArn": tg_arn, "Weight": 80}, {"TargetGroupArn": tg_ip_arn, "Weight": 20}]}}],
        Tags=tag)["Rules"][0])
    rule_arn = rule["RuleArn"]
    check("CreateRule fixed-response, priority 20", lambda: elb.create_rule(
        ListenerArn=https_arn, Priority=20,
        Conditions=[{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/teapot"]}}],
        Actions=[{"Type": "fixed-response", "FixedResponseConfig": {
            "StatusCode": "418", "ContentType": "text/plain", "MessageBody": "teapot"}}]))
    check("DescribeRules", lambda: len(elb.describe_rules(ListenerArn=https_arn)["Rules"]) == 3 or
          (_ for _ in ()).throw(AssertionError("expected 2 rules + default")))
    arns = [lb_arn, tg_arn, https_arn, rule_arn]
    check("AddTags on LB, TG, listener, rule", lambda: elb.add_tags(
        ResourceArns=arns, Tags=[{"Key": "ingress.k8s.aws/stack", "Value": "default/app"}]))
    check("DescribeTags sees the added tag on all 4", lambda: all(
        any(t["Key"] == "ingress.k8s.aws/stack" for t in d["Tags"])
        for d in elb.describe_tags(ResourceArns=arns)["TagDescriptions"]) or
        (_ for _ in ()).throw(AssertionError("tag missing")))
    check("RemoveTags", lambda: elb.remove_tags(ResourceArns=[lb_arn], TagKeys=["ingress.k8s.aws/stack"]))
    check("RegisterTargets (3 instances, port 30080)", lambda: elb.register_targets(
        TargetGroupArn=tg_arn, Targets=[{"Id": i, "Port": 30080} for i in inst]))
    th = check("DescribeTargetHealth", lambda: elb.describe_target_health(
        TargetGroupArn=tg_arn)["TargetHealthDescriptions"])
    if th is not None:
        print("      states after register:", sorted({d["TargetHealth"]["State"] for d in th}))
    check("RegisterTargets (ip)", lambda: elb.register_targets(
        TargetGroupArn=tg_ip_arn, Targets=[{"Id": "10.0.11.50", "Port": 8080}]))
    check("DeregisterTargets", lambda: elb.deregister_targets(
        TargetGroupArn=tg_arn, Targets=[{"Id": inst[0], "Port": 30080}]))
    check("ModifyTargetGroup (health check)", lambda: elb.modify_target_group(
        TargetGroupArn=tg_arn, HealthCheckPath="/ready", HealthCheckIntervalSeconds=10))
    check("ModifyTargetGroupAttributes", lambda: elb.modify_target_group_attributes(
        TargetGroupArn=tg_arn, Attributes=[{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}]))
    check("ModifyLoadBalancerAttributes (idle timeout)", lambda: elb.modify_load_balancer_attributes(
        LoadBalancerArn=lb_arn, Attributes=[{"Key": "idle_timeout.timeout_seconds", "Value": "120"}]))
    check("SetSecurityGroups", lambda: elb.set_security_groups(LoadBalancerArn=lb_arn, SecurityGroups=[sg]))
    check("SetSubnets", lambda: elb.set_subnets(LoadBalancerArn=lb_arn, Subnets=public[:2]))
    check("ModifyListener (certificate, ssl policy)", lambda: elb.modify_listener(
        ListenerArn=https_arn, Certificates=[{"CertificateArn": cert}],
        SslPolicy="ELBSecurityPolicy-2016-08"))
    check("Add/DescribeListenerCertificates", lambda: (
        elb.add_listener_certificates(ListenerArn=https_arn, Certificates=[{"CertificateArn": cert}]),
        elb.describe_listener_certificates(ListenerArn=https_arn)["Certificates"]))
    check("ModifyRule (conditions, actions)", lambda: elb.modify_rule(
        RuleArn=rule_arn,
        Conditions=[{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/v2/*"]}}],
        Actions=[{"Type": "forward", "TargetGroupArn": tg_arn}]))
    check("SetRulePriorities", lambda: elb.set_rule_priorities(
        RulePriorities=[{"RuleArn": rule_arn, "Priority": 5}]))
    check("DescribeLoadBalancers by name", lambda: elb.describe_load_balancers(Names=[f"{PREFIX}-lb"]))
    check("DescribeTargetGroups by LB", lambda: elb.describe_target_groups(LoadBalancerArn=lb_arn))
    check("DescribeListeners by LB", lambda: elb.describe_listeners(LoadBalancerArn=lb_arn))

    print("== part 2: what real AWS checks (GAP = moto does not)")
    probe("CreateLoadBalancer same name, other subnets", lambda: elb.create_load_balancer(
        Name=f"{PREFIX}-lb", Subnets=private, SecurityGroups=[sg], Scheme="internal"),
        "DuplicateLoadBalancerName")
    probe("CreateLoadBalancer name longer than 32 chars", lambda: elb.create_load_balancer(
        Name="x" * 33, Subnets=public, SecurityGroups=[sg]), "ValidationError")
    probe("CreateTargetGroup same name, other port", lambda: elb.create_target_group(
        Name=f"{PREFIX}-tg", Protocol="HTTP", Port=81, VpcId=vpc, TargetType="instance"),
        "DuplicateTargetGroupName")
    probe("CreateListener duplicate port 443", lambda: elb.create_listener(
        LoadBalancerArn=lb_arn, Protocol="HTTPS", Port=443, Certificates=[{"CertificateArn": cert}],
        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg_arn}]), "DuplicateListener")
    probe("CreateListener HTTPS without certificate", lambda: elb.create_listener(
        LoadBalancerArn=lb_arn, Protocol="HTTPS", Port=8443,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg_arn}]), "ValidationError")
    probe("CreateListener HTTPS with unknown certificate ARN", lambda: elb.create_listener(
        LoadBalancerArn=lb_arn, Protocol="HTTPS", Port=9443,
        Certificates=[{"CertificateArn": cert[:-4] + "ffff"}],
        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg_arn}]), "CertificateNotFound")
    probe("ModifyListener unknown certificate ARN", lambda: elb.modify_listener(
        ListenerArn=https_arn, Certificates=[{"CertificateArn": cert[:-4] + "ffff"}]),
        "CertificateNotFound")
    probe("CreateRule priority already in use", lambda: elb.create_rule(
        ListenerArn=https_arn, Priority=20,
        Conditions=[{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/dup"]}}],
        Actions=[{"Type": "forward", "TargetGroupArn": tg_arn}]), "PriorityInUse")
    probe("SetRulePriorities to a priority in use", lambda: elb.set_rule_priorities(
        RulePriorities=[{"RuleArn": rule_arn, "Priority": 20}]), "PriorityInUse")
    probe("RegisterTargets unknown instance", lambda: elb.register_targets(
        TargetGroupArn=tg_arn, Targets=[{"Id": "i-0123456789abcdef0", "Port": 30080}]), "InvalidTarget")
    probe("RegisterTargets ip outside the VPC", lambda: elb.register_targets(
        TargetGroupArn=tg_ip_arn, Targets=[{"Id": "192.168.1.1", "Port": 8080}]), "InvalidTarget")
    th = elb.describe_target_health(TargetGroupArn=tg_arn)["TargetHealthDescriptions"]
    states = {d["Target"]["Id"]: d["TargetHealth"]["State"] for d in th}
    probe("DescribeTargetHealth of a deregistered target is 'draining' or gone",
          lambda: None if states.get(inst[0]) in (None, "draining") else
          (_ for _ in ()).throw(AssertionError(f"state {states.get(inst[0])}")), None)
    probe("DescribeTargetHealth after register is 'initial' (AWS runs health checks)",
          lambda: None if states.get(inst[1]) == "initial" else
          (_ for _ in ()).throw(AssertionError(f"state {states.get(inst[1])}")), None)
    probe("DeleteTargetGroup while a listener uses it", lambda: elb.delete_target_group(
        TargetGroupArn=tg_arn), "ResourceInUse")
    probe("AddTags beyond 50 tags", lambda: elb.add_tags(ResourceArns=[lb_arn], Tags=[
        {"Key": f"k{i}", "Value": "v"} for i in range(60)]), "TooManyTags")
    probe("DescribeLoadBalancers unknown name", lambda: elb.describe_load_balancers(
        Names=["does-not-exist"]), "LoadBalancerNotFound")
    probe("CreateLoadBalancer unknown security group", lambda: elb.create_load_balancer(
        Name=f"{PREFIX}-lb-badsg", Subnets=public, SecurityGroups=["sg-0123456789abcdef0"]),
        "InvalidSecurityGroup")
    probe("CreateLoadBalancer two subnets in one AZ", lambda: elb.create_load_balancer(
        Name=f"{PREFIX}-lb-sameaz", Subnets=[public[0], private[0]], SecurityGroups=[sg]),
        "InvalidConfigurationRequest")
    same = elb.describe_load_balancers(LoadBalancerArns=[lb_arn])["LoadBalancers"][0]
    probe("CreateLoadBalancer same name, same config returns the existing LB", lambda: expect(
        elb.create_load_balancer(Name=f"{PREFIX}-lb", Subnets=[z["SubnetId"] for z in same["AvailabilityZones"]],
                                 SecurityGroups=same["SecurityGroups"], Scheme="internet-facing",
                                 Type="application", IpAddressType="ipv4")["LoadBalancers"][0]["LoadBalancerArn"] == lb_arn,
        "a new LB with another ARN"), None)
    probe("DescribeLoadBalancers by name after a same-name create returns 1", lambda: expect(
        len([x for x in elb.describe_load_balancers()["LoadBalancers"]
             if x["LoadBalancerName"] == f"{PREFIX}-lb"]) == 1, "several LBs share the name"), None)
    probe("CreateTargetGroup same name, same config returns the existing TG", lambda: expect(
        elb.create_target_group(Name=f"{PREFIX}-tg-ip", Protocol="HTTP", Port=8080, VpcId=vpc,
                                TargetType="ip")["TargetGroups"][0]["TargetGroupArn"] == tg_ip_arn,
        "another ARN"), None)
    probe("CreateLoadBalancer without Scheme reports Scheme internet-facing", lambda: expect(
        elb.create_load_balancer(Name=f"{PREFIX}-lb-noscheme", Subnets=public, SecurityGroups=[sg])
        ["LoadBalancers"][0].get("Scheme") == "internet-facing", "no Scheme"), None)
    unused = elb.create_target_group(Name=f"{PREFIX}-tg-unused", Protocol="HTTP", Port=80, VpcId=vpc)
    unused_arn = unused["TargetGroups"][0]["TargetGroupArn"]
    elb.register_targets(TargetGroupArn=unused_arn, Targets=[{"Id": inst[0], "Port": 30080}])
    probe("DescribeTargetHealth of a TG no LB uses is 'unused'", lambda: expect(
        elb.describe_target_health(TargetGroupArn=unused_arn)["TargetHealthDescriptions"][0]
        ["TargetHealth"]["State"] == "unused", "not unused"), None)
    probe("DescribeTargetGroups PageSize=1 returns NextMarker", lambda: expect(
        "NextMarker" in elb.describe_target_groups(PageSize=1), "no NextMarker"), None)
    gone = elb.create_load_balancer(Name=f"{PREFIX}-lb-gone", Subnets=public, SecurityGroups=[sg])
    gone_arn = gone["LoadBalancers"][0]["LoadBalancerArn"]
    elb.create_listener(LoadBalancerArn=gone_arn, Protocol="HTTP", Port=80,
                        DefaultActions=[{"Type": "forward", "TargetGroupArn": unused_arn}])
    elb.delete_load_balancer(LoadBalancerArn=gone_arn)
    probe("DescribeTags of a deleted LB", lambda: elb.describe_tags(ResourceArns=[gone_arn]),
          "LoadBalancerNotFound")
    probe("TG LoadBalancerArns forget a deleted LB", lambda: expect(
        elb.describe_target_groups(TargetGroupArns=[unused_arn])["TargetGroups"][0]["LoadBalancerArns"] == [],
        "still lists the deleted LB"), None)
    elb.modify_load_balancer_attributes(LoadBalancerArn=lb_arn, Attributes=[
        {"Key": "deletion_protection.enabled", "Value": "true"}])
    probe("DeleteLoadBalancer with deletion protection", lambda: elb.delete_load_balancer(
        LoadBalancerArn=lb_arn), "OperationNotPermitted")

    print("== cleanup")
    for lb_x in elb.describe_load_balancers()["LoadBalancers"]:
        if lb_x["LoadBalancerName"].startswith(PREFIX) or lb_x["LoadBalancerName"] == "x" * 33:
            a = lb_x["LoadBalancerArn"]
            try:
                elb.modify_load_balancer_attributes(LoadBalancerArn=a, Attributes=[
                    {"Key": "deletion_protection.enabled", "Value": "false"}])
            except ClientError:
                pass
            for li in elb.describe_listeners(LoadBalancerArn=a)["Listeners"]:
                check(f"DeleteListener :{li['Port']}", lambda: elb.delete_listener(ListenerArn=li["ListenerArn"]))
            check(f"DeleteLoadBalancer {lb_x['LoadBalancerName']}", lambda: elb.delete_load_balancer(LoadBalancerArn=a))
    for t in elb.describe_target_groups()["TargetGroups"]:
        if t["TargetGroupName"].startswith(PREFIX):
            check(f"DeleteTargetGroup {t['TargetGroupName']}",
                  lambda: elb.delete_target_group(TargetGroupArn=t["TargetGroupArn"]))
    left = [x["LoadBalancerName"] for x in elb.describe_load_balancers()["LoadBalancers"]]
    if left:
        print("      left behind:", left)

    print(f"== {len(failures)} failed: {failures}" if failures else "== part 1: all calls work")
    print(f"== {len(gaps)} gaps: {gaps}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Seed the moto AWS emulator with the test environment's fixed AWS world.

Run with the moto venv's python (it has boto3); `hack/testenv up` and `hack/testenv reseed`
do that. Expects an empty (fresh or reset) moto. Creates in one region:

  * a VPC 10.0.0.0/16 with an internet gateway,
  * 6 subnets, one public and one private per AZ a/b/c:
      public-X  10.0.{1,2,3}.0/24   kubernetes.io/role/elb=1
      private-X 10.0.{11,12,13}.0/24 kubernetes.io/role/internal-elb=1
    all tagged kubernetes.io/cluster/<cluster>=shared and Name=<public|private>-X,
  * security groups alb-test-sg (80/443 from anywhere) and <cluster>-node-sg
    (tagged kubernetes.io/cluster/<cluster>=owned, attached to the instances),
  * 3 running EC2 instances standing in for the nodes, one per private subnet at 10.0.1X.10,
  * an ISSUED ACM certificate imported from a self-signed openssl cert for
    *.example.test and example.test,

checks that moto reports the certificate ISSUED and the instances running, and writes
seed.json (see write_seed below for its exact shape).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import boto3

DOMAIN = "example.test"
AZ_LETTERS = ("a", "b", "c")
PUBLIC_CIDR = {"a": "10.0.1.0/24", "b": "10.0.2.0/24", "c": "10.0.3.0/24"}
PRIVATE_CIDR = {"a": "10.0.11.0/24", "b": "10.0.12.0/24", "c": "10.0.13.0/24"}
NODE_IP = {"a": "10.0.11.10", "b": "10.0.12.10", "c": "10.0.13.10"}
INSTANCE_TYPE = "t3.medium"


def tags(d):
    return [{"Key": k, "Value": v} for k, v in d.items()]


def tag_spec(resource_type, d):
    return [{"ResourceType": resource_type, "Tags": tags(d)}]


def self_signed_cert(domain):
    """Returns (cert_pem, key_pem) bytes for CN=*.domain, SAN *.domain + domain."""
    with tempfile.TemporaryDirectory() as d:
        key, crt = os.path.join(d, "tls.key"), os.path.join(d, "tls.crt")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256",
             "-days", "825", "-keyout", key, "-out", crt,
             "-subj", f"/CN=*.{domain}",
             "-addext", f"subjectAltName=DNS:*.{domain},DNS:{domain}",
             "-addext", "extendedKeyUsage=serverAuth"],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(crt, "rb") as f:
            cert_pem = f.read()
        with open(key, "rb") as f:
            key_pem = f.read()
    return cert_pem, key_pem


def pick_image(ec2):
    images = ec2.describe_images(Owners=["amazon"])["Images"]
    if not images:
        raise SystemExit("seed: moto offers no AMI (MOTO_EC2_LOAD_DEFAULT_AMIS=false?)")
    linux = [i for i in images if i.get("Platform") != "windows"]
    return sorted(linux or images, key=lambda i: i["ImageId"])[0]["ImageId"]


def wait_running(ec2, ids, timeout=30):
    deadline = time.time() + timeout
    while True:
        res = ec2.describe_instances(InstanceIds=ids)["Reservations"]
        insts = [i for r in res for i in r["Instances"]]
        states = {i["InstanceId"]: i["State"]["Name"] for i in insts}
        if len(states) == len(ids) and all(s == "running" for s in states.values()):
            return insts
        if time.time() > deadline:
            raise SystemExit(f"seed: instances not running after {timeout}s: {states}")
        time.sleep(0.5)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--endpoint", default=os.environ.get("AWS_ENDPOINT_URL"), required=False)
    ap.add_argument("--region", default=os.environ.get("AWS_REGION", "us-west-2"))
    ap.add_argument("--cluster", default=os.environ.get("CLUSTER_NAME", "test-cluster"))
    ap.add_argument("--out", required=True, help="where to write seed.json")
    args = ap.parse_args()
    if not args.endpoint:
        raise SystemExit("seed: --endpoint or AWS_ENDPOINT_URL is required (never seeds real AWS)")

    session = boto3.session.Session(
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "testing"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
        region_name=args.region)
    ec2 = session.client("ec2", endpoint_url=args.endpoint)
    acm = session.client("acm", endpoint_url=args.endpoint)

    cluster_tag = f"kubernetes.io/cluster/{args.cluster}"
    existing = ec2.describe_vpcs(Filters=[{"Name": f"tag:{cluster_tag}", "Values": ["*"]}])["Vpcs"]
    if existing:
        raise SystemExit("seed: moto already holds a VPC for this cluster; reset it first "
                         "(hack/testenv reseed does)")

    vpc_id = ec2.create_vpc(
        CidrBlock="10.0.0.0/16",
        TagSpecifications=tag_spec("vpc", {"Name": f"{args.cluster}-vpc", cluster_tag: "shared"}),
    )["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsSupport={"Value": True})
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
    igw_id = ec2.create_internet_gateway(
        TagSpecifications=tag_spec("internet-gateway", {"Name": f"{args.cluster}-igw"}),
    )["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw_id, VpcId=vpc_id)
    public_rt = ec2.create_route_table(
        VpcId=vpc_id, TagSpecifications=tag_spec("route-table", {"Name": f"{args.cluster}-public"}),
    )["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=public_rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw_id)

    subnets = []
    for role, cidrs, role_tag in (("public", PUBLIC_CIDR, "kubernetes.io/role/elb"),
                                  ("private", PRIVATE_CIDR, "kubernetes.io/role/internal-elb")):
        for letter in AZ_LETTERS:
            az = f"{args.region}{letter}"
            name = f"{role}-{letter}"
            sn = ec2.create_subnet(
                VpcId=vpc_id, CidrBlock=cidrs[letter], AvailabilityZone=az,
                TagSpecifications=tag_spec("subnet", {
                    "Name": name, cluster_tag: "shared", role_tag: "1"}),
            )["Subnet"]
            if role == "public":
                ec2.modify_subnet_attribute(SubnetId=sn["SubnetId"], MapPublicIpOnLaunch={"Value": True})
                ec2.associate_route_table(RouteTableId=public_rt, SubnetId=sn["SubnetId"])
            subnets.append({"id": sn["SubnetId"], "az": az, "name": name, "role": role,
                            "cidr": cidrs[letter]})

    alb_sg = ec2.create_security_group(
        GroupName="alb-test-sg", Description="ALB test security group", VpcId=vpc_id,
        TagSpecifications=tag_spec("security-group", {"Name": "alb-test-sg"}),
    )["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=alb_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": p, "ToPort": p, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        for p in (80, 443)])
    node_sg = ec2.create_security_group(
        GroupName=f"{args.cluster}-node-sg", Description="test cluster nodes", VpcId=vpc_id,
        TagSpecifications=tag_spec("security-group", {
            "Name": f"{args.cluster}-node-sg", cluster_tag: "owned"}),
    )["GroupId"]

    image_id = pick_image(ec2)
    private = {s["az"]: s for s in subnets if s["role"] == "private"}
    ids = []
    for letter in AZ_LETTERS:
        az = f"{args.region}{letter}"
        ip = NODE_IP[letter]
        node_name = f"ip-{ip.replace('.', '-')}.{args.region}.compute.internal"
        inst = ec2.run_instances(
            ImageId=image_id, MinCount=1, MaxCount=1, InstanceType=INSTANCE_TYPE,
            SubnetId=private[az]["id"], PrivateIpAddress=ip, SecurityGroupIds=[node_sg],
            TagSpecifications=tag_spec("instance", {
                "Name": node_name, cluster_tag: "owned"}),
        )["Instances"][0]
        ids.append(inst["InstanceId"])
    instances = []
    for inst in sorted(wait_running(ec2, ids), key=lambda i: i["Placement"]["AvailabilityZone"]):
        ip = inst["PrivateIpAddress"]
        instances.append({
            "id": inst["InstanceId"],
            "az": inst["Placement"]["AvailabilityZone"],
            "privateIp": ip,
            "nodeName": f"ip-{ip.replace('.', '-')}.{args.region}.compute.internal",
            "subnetId": inst["SubnetId"],
            "instanceType": inst["InstanceType"],
        })
    for want, got in zip(AZ_LETTERS, instances):
        if got["privateIp"] != NODE_IP[want]:
            raise SystemExit(f"seed: moto gave {got['id']} IP {got['privateIp']}, wanted {NODE_IP[want]}")

    cert_pem, key_pem = self_signed_cert(DOMAIN)
    cert_arn = acm.import_certificate(
        Certificate=cert_pem, PrivateKey=key_pem,
        Tags=[{"Key": "Name", "Value": f"{args.cluster}-{DOMAIN}"}],
    )["CertificateArn"]
    cert = acm.describe_certificate(CertificateArn=cert_arn)["Certificate"]
    if cert.get("Status") != "ISSUED":
        raise SystemExit(f"seed: imported certificate {cert_arn} has status {cert.get('Status')}")
    if sorted(cert.get("SubjectAlternativeNames", [])) != sorted([f"*.{DOMAIN}", DOMAIN]):
        raise SystemExit(f"seed: certificate SANs are {cert.get('SubjectAlternativeNames')}")

    seed = {
        "vpcId": vpc_id,
        "region": args.region,
        "cluster": args.cluster,
        "subnets": subnets,
        "securityGroupId": alb_sg,
        "nodeSecurityGroupId": node_sg,
        "internetGatewayId": igw_id,
        "instances": instances,
        "certificateArn": cert_arn,
        "domain": DOMAIN,
    }
    write_seed(args.out, seed)
    print(f"seed: vpc {vpc_id}, {len(subnets)} subnets, {len(instances)} instances, "
          f"certificate {cert_arn} (ISSUED)", file=sys.stderr)


def write_seed(path, seed):
    """seed.json: {"vpcId", "region", "cluster",
    "subnets": [{"id", "az", "name", "role": "public"|"private", "cidr"}],
    "securityGroupId" (alb-test-sg), "nodeSecurityGroupId", "internetGatewayId",
    "instances": [{"id", "az", "privateIp", "nodeName", "subnetId", "instanceType"}],
    "certificateArn", "domain"}"""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(seed, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


if __name__ == "__main__":
    main()

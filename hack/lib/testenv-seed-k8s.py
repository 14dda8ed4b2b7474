#!/usr/bin/env python3
"""Seed the test kube-apiserver from seed.json: one Ready Node per seeded EC2 instance and the
IngressClass `alb` (controller ingress.k8s.aws/alb). Idempotent: uses `kubectl apply`; seeded
Nodes whose providerID no longer matches (moto was reset, so instance IDs changed) or that are
no longer in seed.json are deleted first, since a Node's providerID cannot be changed.

Uses only the standard library and kubectl. Run by hack/testenv up / reseed.
"""

import argparse
import datetime
import json
import subprocess
import sys

SEEDED_LABEL = "testenv.alb.local/seeded"
INGRESS_CLASS = "alb"
CONTROLLER = "ingress.k8s.aws/alb"


def kubectl(args, kubectl_bin, kubeconfig, stdin=None):
    res = subprocess.run([kubectl_bin, "--kubeconfig", kubeconfig, *args], input=stdin,
                         capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit(f"seed-k8s: kubectl {' '.join(args)} failed:\n{res.stderr}")
    return res.stdout


def node_object(seed, inst):
    region = seed["region"]
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": inst["nodeName"],
            "labels": {
                SEEDED_LABEL: "true",
                "kubernetes.io/hostname": inst["nodeName"],
                "kubernetes.io/os": "linux",
                "kubernetes.io/arch": "amd64",
                "node.kubernetes.io/instance-type": inst.get("instanceType", "t3.medium"),
                "topology.kubernetes.io/region": region,
                "topology.kubernetes.io/zone": inst["az"],
            },
        },
        "spec": {"providerID": f"aws:///{inst['az']}/{inst['id']}"},
    }


def node_status(inst, kube_version):
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"status": {
        "conditions": [{
            "type": "Ready", "status": "True", "reason": "KubeletReady",
            "message": "seeded by hack/testenv", "lastHeartbeatTime": now,
            "lastTransitionTime": now}],
        "addresses": [
            {"type": "InternalIP", "address": inst["privateIp"]},
            {"type": "InternalDNS", "address": inst["nodeName"]},
            {"type": "Hostname", "address": inst["nodeName"]}],
        "capacity": {"cpu": "2", "memory": "4Gi", "pods": "110"},
        "allocatable": {"cpu": "2", "memory": "4Gi", "pods": "110"},
        "nodeInfo": {
            "kubeletVersion": kube_version, "kubeProxyVersion": "", "operatingSystem": "linux",
            "architecture": "amd64", "osImage": "testenv", "kernelVersion": "",
            "containerRuntimeVersion": "", "machineID": "", "systemUUID": "", "bootID": ""},
    }}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kubectl", required=True)
    ap.add_argument("--kubeconfig", required=True)
    ap.add_argument("--seed", required=True)
    ap.add_argument("--kube-version", default="", help="reported as the nodes' kubeletVersion")
    args = ap.parse_args()
    with open(args.seed) as f:
        seed = json.load(f)

    def k(cmd, stdin=None):
        return kubectl(cmd, args.kubectl, args.kubeconfig, stdin)

    wanted = {i["nodeName"]: f"aws:///{i['az']}/{i['id']}" for i in seed["instances"]}
    existing = json.loads(k(["get", "nodes", "-l", SEEDED_LABEL, "-o", "json"]))["items"]
    stale = [n["metadata"]["name"] for n in existing
             if wanted.get(n["metadata"]["name"]) != n.get("spec", {}).get("providerID")]
    if stale:
        k(["delete", "node", "--wait=true", *stale])

    objects = [node_object(seed, i) for i in seed["instances"]]
    objects.append({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": {"name": INGRESS_CLASS},
        "spec": {"controller": CONTROLLER},
    })
    k(["apply", "-f", "-"], json.dumps({"apiVersion": "v1", "kind": "List", "items": objects}))
    for inst in seed["instances"]:
        k(["patch", "node", inst["nodeName"], "--subresource=status", "--type=merge",
           "-p", json.dumps(node_status(inst, args.kube_version))])

    nodes = json.loads(k(["get", "nodes", "-l", SEEDED_LABEL, "-o", "json"]))["items"]
    ready = [n["metadata"]["name"] for n in nodes
             if any(c["type"] == "Ready" and c["status"] == "True"
                    for c in n.get("status", {}).get("conditions", []))]
    if sorted(ready) != sorted(wanted):
        raise SystemExit(f"seed-k8s: Ready nodes {sorted(ready)} != expected {sorted(wanted)}")
    print(f"seed-k8s: {len(ready)} Ready nodes, IngressClass {INGRESS_CLASS} -> {CONTROLLER}"
          + (f" (replaced stale nodes: {', '.join(stale)})" if stale else ""), file=sys.stderr)


if __name__ == "__main__":
    main()

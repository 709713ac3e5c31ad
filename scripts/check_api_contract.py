#!/usr/bin/env python3
"""Contract check: starts the sampler, captioner and recommender on loopback, sends each of them the
requests a client sends (and the bad ones a client must be told about) and checks every answer against
the service's OpenAPI document:

- the status is the one this script expects, and the document lists it for that route;
- the body validates against the documented schema (openapi-core), with every object schema made strict,
  so a field the service sends but the document does not name is a failure;
- an error is {"error": {"code", "message"}} and its code is named in the documented response.

    python3 scripts/check_api_contract.py [BIN]     (pip install openapi-core pyyaml requests)

BIN is the folder with the built executables (default: `swift build --show-bin-path`). Unlike
scripts/check_openapi.py, which checks that the documents are valid OpenAPI, this checks that they are true.
"""
import copy
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import requests
import yaml
from openapi_core import OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEMO_IMAGES = ROOT / "demo" / "images"


def strict(schema):
    """The schema with additionalProperties false on every object that names its properties."""
    if isinstance(schema, dict):
        schema = {key: strict(value) for key, value in schema.items()}
        if "properties" in schema and "additionalProperties" not in schema:
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    return schema


class Service:
    """One running service and its document."""

    def __init__(self, name, port, arguments, bin_dir, log):
        self.name = name
        self.base = f"http://127.0.0.1:{port}"
        document = yaml.safe_load((ROOT / "Services" / name.capitalize() / "openapi.yaml").read_text())
        self.document = document
        strict_document = strict(copy.deepcopy(document))
        strict_document["servers"] = [{"url": self.base}]
        self.openapi = OpenAPI.from_dict(strict_document)
        self.process = subprocess.Popen(
            [str(bin_dir / name), "--port", str(port), *arguments], stdout=log, stderr=log)

    def wait_until_up(self):
        for _ in range(100):
            try:
                if requests.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"contract: {self.name} did not start")

    def documented(self, method, path):
        """The document's operation for a concrete path, and its path template, or (None, None)."""
        for template, operations in self.document["paths"].items():
            pattern = "^" + re.sub(r"\{[^/]+\}", "[^/]+", template) + "$"
            if re.match(pattern, path) and method.lower() in operations:
                return operations[method.lower()], template
        return None, None


class Checker:
    def __init__(self):
        self.failures = []
        self.exchanges = 0
        self.covered = set()

    def check(self, service, method, path, expect, **kwargs):
        """Sends one request; returns the response. Records every way the answer breaks the contract."""
        url = service.base + path
        request = requests.Request(method, url, **kwargs)
        response = requests.Session().send(request.prepare(), timeout=60)
        self.exchanges += 1
        label = f"{service.name} {method} {path[:60]}{'…' if len(path) > 60 else ''} -> {response.status_code}"
        problems = []
        if response.status_code != expect:
            problems.append(f"expected {expect}: {response.text[:200]}")

        operation, template = service.documented(method, path.split("?")[0])
        status = str(response.status_code)
        documented = (operation or {}).get("responses", {}).get(status)
        # An error is JSON unless the document says it is not (it declares no JSON body for it).
        if response.status_code >= 400 and (documented is None or "content" in documented):
            problems += self.error_problems(response, operation, status)
        if operation is None:
            if response.status_code not in (404, 405):
                problems.append("the route is not in the document")
        elif status not in operation.get("responses", {}):
            problems.append(f"status {status} is not documented for {method} {template}")
        else:
            self.covered.add((service.name, method, template, status))
            content = operation["responses"][status].get("content")
            if content and "application/json" in content:
                try:
                    service.openapi.validate_response(
                        RequestsOpenAPIRequest(request), RequestsOpenAPIResponse(response))
                except Exception as error:  # openapi-core raises a tree of validation errors
                    details = getattr(error, "__cause__", None)
                    problems.append(f"body does not match the document: {error}: {details}"[:600])
        if problems:
            self.failures.append(f"{label}\n    " + "\n    ".join(problems))
            print(f"  FAIL {label}")
        else:
            print(f"  ok   {label}")
        return response

    @staticmethod
    def error_problems(response, operation, status):
        try:
            body = response.json()
            code, message = body["error"]["code"], body["error"]["message"]
            assert isinstance(code, str) and isinstance(message, str) and message
        except Exception:
            return [f"not a JSON error body: {response.text[:120]!r}"]
        documented = (operation or {}).get("responses", {}).get(status, {})
        named = set(re.findall(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[a-z]+", documented.get("description", "")))
        if operation is not None and documented and code not in named:
            return [f"error code {code} is not named in the documented {status} response"]
        return []

    def uncovered(self, services):
        """Documented (route, status) pairs no exchange produced."""
        missing = []
        for service in services:
            for template, operations in service.document["paths"].items():
                for method, operation in operations.items():
                    for status in operation.get("responses", {}):
                        if (service.name, method.upper(), template, status) not in self.covered:
                            missing.append(f"{service.name} {method.upper()} {template} {status}")
        return missing


def poll(service, path, field, until, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        body = requests.get(service.base + path, timeout=10).json()
        if body.get(field) in until:
            return body
        time.sleep(0.2)
    raise SystemExit(f"contract: {path} never reached {until}")


def free_port():
    """A port nothing listens on now (the kernel's pick for port 0); the service binds it right after."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(bin_dir, work):
    ports = {name: free_port() for name in ("sampler", "captioner", "recommender")}
    log = open(work / "services.log", "wb")
    other_root = work / "other"
    other_root.mkdir()
    (other_root / "not-an-image.jpg").write_bytes(b"plain text, not a JPEG")
    services = []
    checker = Checker()
    try:
        services.append(Service("sampler", ports["sampler"], [
            "--roots", f"{ROOT / 'demo'}:{other_root}", "--database", str(work / "sampler.sqlite")], bin_dir, log))
        services.append(Service(
            "captioner", ports["captioner"], ["--db", str(work / "captioner.sqlite")], bin_dir, log))
        services.append(Service("recommender", ports["recommender"], [
            "--model", str(work / "model.imgrec"), "--no-embeddings"], bin_dir, log))
        for service in services:
            service.wait_until_up()
        exchange(checker, *services, other_root)
    finally:
        for service in services:
            service.process.terminate()
        for service in services:
            try:
                service.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                service.process.kill()
                service.process.wait()
        log.close()
    return checker, services


def exchange(c, sampler, captioner, recommender, other_root):
    json_headers = {"Content-Type": "application/json"}
    for service in (sampler, captioner, recommender):
        c.check(service, "GET", "/healthz", 200)
        c.check(service, "GET", "/metrics", 200)
        c.check(service, "GET", "/no/such/route", 404)

    print("sampler")
    scan = c.check(sampler, "POST", "/v1/scans", 201, json={"dataset": str(DEMO_IMAGES)}).json()
    scan_id = scan["scan_id"]
    background = c.check(sampler, "POST", "/v1/scans", 202, json={"dataset": str(DEMO_IMAGES), "background": True})
    poll(sampler, background.headers["Location"], "status", {"done"})
    c.check(sampler, "GET", background.headers["Location"], 200)
    c.check(sampler, "GET", f"/v1/scans/{scan_id}", 200)
    c.check(sampler, "POST", "/v1/scans", 201, json={
        "dataset": str(DEMO_IMAGES), "manifest": str(ROOT / "demo" / "manifest.csv"),
        "manifest_file_column": "file", "manifest_label_column": "expected_step1",
        "manifest_real_values": ["real"], "manifest_ai_values": ["ai"]})
    c.check(sampler, "POST", "/v1/scans", 403, json={"dataset": "/etc"})
    c.check(sampler, "POST", "/v1/scans", 404, json={"dataset": str(ROOT / "demo" / "no-such-folder")})
    c.check(sampler, "POST", "/v1/scans", 400, json={"dataset": "relative/path"})
    c.check(sampler, "POST", "/v1/scans", 400, data="{not json", headers=json_headers)
    c.check(sampler, "POST", "/v1/scans", 400, json={
        "dataset": str(DEMO_IMAGES), "manifest": str(ROOT / "demo" / "images")})
    c.check(sampler, "GET", "/v1/scans/scan-999999", 404)
    c.check(sampler, "GET", "/v1/scans/scan-01", 404)

    sample = c.check(sampler, "POST", "/v1/samples", 201, json={
        "scan_id": scan_id, "count": 100, "seed": 42, "verdicts": ["real", "unknown"]}).json()
    sample_id = sample["sample_id"]
    c.check(sampler, "POST", "/v1/samples", 201, json={"scan_id": scan_id, "count": 3, "seed": 7})
    c.check(sampler, "GET", f"/v1/samples/{sample_id}", 200)
    c.check(sampler, "GET", "/v1/samples/sample-999999", 404)
    c.check(sampler, "POST", "/v1/samples", 400, json={"scan_id": scan_id, "count": 0, "seed": 1})
    c.check(sampler, "POST", "/v1/samples", 400, json={"scan_id": scan_id, "count": 1, "seed": 1, "verdicts": ["ai"]})
    c.check(sampler, "POST", "/v1/samples", 404, json={"scan_id": "scan-999999", "count": 1, "seed": 1})

    image_id = sample["images"][0]["id"]
    c.check(sampler, "GET", f"/v1/images/{image_id}", 200)
    c.check(sampler, "GET", f"/v1/images/{image_id}/sidecar", 200)
    c.check(sampler, "GET", "/v1/images/no-such-image", 404)
    c.check(sampler, "GET", "/v1/images/no-such-image/sidecar", 404)
    shutil.copy(DEMO_IMAGES / "real_noexif_08.jpg", other_root / "photo.jpg")
    other_scan = c.check(sampler, "POST", "/v1/scans", 201, json={"dataset": str(other_root)}).json()
    if [image["file"] for image in other_scan["images"]] != ["photo.jpg"] or len(other_scan["notes"]) != 1:
        c.failures.append(f"sampler: the non-image file was not left out with a note: {other_scan}")
    with open(other_root / "photo.jpg", "ab") as photo:
        photo.write(b"changed")
    c.check(sampler, "GET", f"/v1/images/{other_scan['images'][0]['id']}", 409)

    print("captioner")
    photo = (DEMO_IMAGES / "real_exif_10.webp").read_bytes()
    c.check(captioner, "POST", "/v1/captions", 200, data=photo, headers={"Content-Type": "image/webp"})
    c.check(captioner, "POST", "/v1/captions", 400, data=b"", headers={"Content-Type": "image/jpeg"})
    c.check(captioner, "POST", "/v1/captions", 415, data=b"hello, not an image", headers={"Content-Type": "image/png"})
    jpeg = (DEMO_IMAGES / "real_noexif_08.jpg").read_bytes()
    c.check(captioner, "POST", "/v1/captions", 422, data=jpeg[: len(jpeg) // 3], headers={"Content-Type": "image/jpeg"})
    c.check(captioner, "POST", "/v1/captions", 413, data=b"\xff\xd8\xff" + bytes(300 << 20),
            headers={"Content-Type": "image/jpeg"})
    job = c.check(captioner, "POST", "/v1/jobs", 202, json={"sampler": sampler.base, "sample_id": sample_id}).json()
    c.check(captioner, "POST", "/v1/jobs", 400, json={"sampler": "file:///etc", "sample_id": sample_id})
    c.check(captioner, "POST", "/v1/jobs", 400, data="[", headers=json_headers)
    poll(captioner, f"/v1/jobs/{job['id']}", "status", {"done", "failed"})
    c.check(captioner, "GET", f"/v1/jobs/{job['id']}", 200)
    c.check(captioner, "GET", f"/v1/jobs/{job['id']}/captions", 200)
    c.check(captioner, "GET", "/v1/jobs/999999", 404)
    c.check(captioner, "GET", "/v1/jobs/999999/captions", 404)

    print("recommender")
    c.check(recommender, "GET", "/v1/search?q=dogs", 503)
    c.check(recommender, "POST", "/v1/search", 503, json={"q": "dogs"})
    c.check(recommender, "GET", "/v1/models/current", 503)
    c.check(recommender, "GET", "/api/mmsys/query?desc=dogs", 503)
    c.check(recommender, "POST", "/v1/admin/reload", 404)
    build = {"captioner": captioner.base, "job_id": job["id"], "sampler": sampler.base, "methods": ["bm25", "tfidf"]}
    c.check(recommender, "POST", "/v1/models", 201, json=build)
    c.check(recommender, "POST", "/v1/models", 400, json={**build, "captioner": "gopher://example"})
    c.check(recommender, "POST", "/v1/models", 400, json={**build, "methods": ["nonsense"]})
    c.check(recommender, "POST", "/v1/models", 503, json={**build, "methods": ["minilm"]})
    c.check(recommender, "POST", "/v1/models", 404, json={**build, "job_id": "999999"})
    c.check(recommender, "POST", "/v1/models", 502, json={**build, "captioner": "http://127.0.0.1:9"})
    c.check(recommender, "GET", "/v1/models/current", 200)
    c.check(recommender, "POST", "/v1/admin/reload", 200)
    c.check(recommender, "GET", "/v1/search?q=two+brown+dogs&k=3", 200)
    c.check(recommender, "GET", "/v1/search?q=montain+%F0%9F%90%B6&method=bm25", 200)
    c.check(recommender, "GET", "/v1/search?q=", 400)
    c.check(recommender, "GET", "/v1/search?q=dogs&k=0", 400)
    c.check(recommender, "GET", "/v1/search?q=dogs&method=nonsense", 400)
    c.check(recommender, "GET", "/v1/search?q=dogs&method=minilm", 400)  # not in this model
    c.check(recommender, "GET", "/v1/search?q=" + "a" * 10001, 400)
    c.check(recommender, "GET", "/v1/search?q=" + "a" * 200_000, 414)
    c.check(recommender, "POST", "/v1/search", 200, json={"q": "stones in a field", "k": 2, "method": "tfidf"})
    c.check(recommender, "POST", "/v1/search", 400, data="{", headers=json_headers)
    c.check(recommender, "POST", "/v1/search", 400, json={"q": "x" * 10001})
    c.check(recommender, "POST", "/v1/search", 413, json={"q": "x" * (10 << 20)})
    c.check(recommender, "GET", "/api/mmsys/query?desc=dogs&k=2", 200)
    c.check(recommender, "GET", "/api/mmsys/query?k=2", 400)
    c.check(recommender, "GET", "/", 200)
    (pathlib.Path(recommender_model_path(recommender))).write_bytes(b"IMGREC\0\0 broken")
    c.check(recommender, "POST", "/v1/admin/reload", 422)


def recommender_model_path(recommender):
    return requests.get(recommender.base + "/v1/models/current", timeout=10).json()["model"]["path"]


def main():
    bin_dir = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(subprocess.run(
        ["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip())
    work = pathlib.Path(tempfile.mkdtemp(prefix="imgrec-contract-"))
    try:
        checker, services = run(bin_dir, work)
    except BaseException:
        print((work / "services.log").read_text(errors="replace")[-3000:], file=sys.stderr)
        raise
    uncovered = checker.uncovered(services)
    print(f"contract: {checker.exchanges} exchanges, {len(checker.failures)} failed")
    if uncovered:
        print(f"contract: documented but not exercised here ({len(uncovered)}): " + "; ".join(uncovered))
    for failure in checker.failures:
        print("contract: FAIL " + failure, file=sys.stderr)
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if checker.failures else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Validates every service's OpenAPI document against the OpenAPI 3 specification.

    python3 scripts/check_openapi.py        (needs: pip install openapi-spec-validator pyyaml)

That each document lists exactly the routes its service serves is checked by the Swift test
OpenAPIDocumentTests.
"""
import pathlib
import sys

import yaml
from openapi_spec_validator import validate

root = pathlib.Path(__file__).resolve().parent.parent
failed = False
for document in sorted(root.glob("Services/*/openapi.yaml")):
    try:
        validate(yaml.safe_load(document.read_text(encoding="utf-8")))
        print(f"openapi: {document.relative_to(root)} valid")
    except Exception as error:  # the validator raises several exception types
        failed = True
        print(f"openapi: {document.relative_to(root)} INVALID: {str(error).splitlines()[0]}", file=sys.stderr)
sys.exit(1 if failed else 0)

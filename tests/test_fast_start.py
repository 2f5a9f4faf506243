"""`helpers.start()` does not pay for imports moto pulls in and rarely uses, and loses nothing."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(
    """
    import sys
    import helpers
    from helpers.patches.fast_start import _Deferred

    aws = helpers.start()
    deferred_at_start = isinstance(sys.modules["rfc3987_syntax"], _Deferred)

    import jsonschema

    checker = jsonschema.Draft7Validator.FORMAT_CHECKER
    iri = jsonschema.Draft7Validator({"format": "iri"}, format_checker=checker)
    print(deferred_at_start)
    print(iri.is_valid("http://example.com/caf\u00e9"), iri.is_valid("http://a b"))
    print(type(sys.modules["rfc3987_syntax"]).__name__)
    import rfc3987_syntax
    print(rfc3987_syntax.is_valid_syntax("iri", "http://example.com/"))
    aws.stop()
    """
)


def test_start_defers_rfc3987_syntax_and_iri_checks_still_give_real_answers():
    pytest.importorskip("rfc3987_syntax")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=True
    )

    deferred, iri_checks, module_type, direct = result.stdout.split("\n")[:4]
    assert deferred == "True"  # moto's imports did not compile its grammars at start
    assert iri_checks == "True False"  # jsonschema's "iri" format still validates for real
    assert module_type == "module"  # after first use, the real package everywhere
    assert direct == "True"


OPENAPI_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import helpers

    aws = helpers.start()
    print("openapi_spec_validator" in sys.modules, "jsonschema" in sys.modules)
    apigw = aws.client("apigateway")
    api = apigw.create_rest_api(name="imported")["id"]
    info = {"title": "orders", "description": "d"}  # no "version": OpenAPI requires one
    doc = {"openapi": "3.0.0", "info": info, "paths": {}}
    try:
        apigw.put_rest_api(restApiId=api, failOnWarnings=True, body=json.dumps(doc))
    except apigw.exceptions.BadRequestException as error:
        print(error.response["Error"]["Message"])
    info["version"] = "1"
    print(apigw.import_rest_api(failOnWarnings=True, body=json.dumps(doc))["name"])
    print(sys.modules["openapi_spec_validator"].__file__ is not None)
    aws.stop()
    """
)


def test_start_defers_openapi_spec_validator_and_imports_still_validate_for_real():
    result = subprocess.run(
        [sys.executable, "-c", OPENAPI_SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    at_start, refused, imported, real = result.stdout.split("\n")[:4]
    assert at_start == "False False"  # 28 MB not loaded by helpers.start()
    assert refused == (  # moto's words, from the real validator loaded on first use
        "Failed to parse the uploaded OpenAPI document due to: 'version' is a required property"
    )
    assert imported == "orders"  # a valid document still imports
    assert real == "True"  # the real package, not the stand-in


def test_moto_lists_its_package_folder_once_not_on_every_request(fresh, monkeypatch):
    import os

    from moto import backends

    lam = fresh.client("lambda")
    lam.list_functions()  # the list is read by now
    listed = []
    real_listdir = os.listdir
    monkeypatch.setattr(os, "listdir", lambda path=".": listed.append(path) or real_listdir(path))

    for _ in range(3):
        lam.list_functions()

    assert listed == []  # 364 stat calls per request before (0.4 ms of every call)
    assert {"awslambda", "s3", "sqs"} <= backends.list_of_moto_modules()

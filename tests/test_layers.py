"""Lambda layers: what a function's Layers hold is importable, merged and checked as on AWS."""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import io
import json
import zipfile

import pytest
from botocore.exceptions import ClientError

from helpers.iam import execution_role
from helpers.limits import value
from helpers.packaging import site_packages_zip, zip_bytes
from tests.conftest import call, log_messages

WHICH = """
import which


def handler(event, context):
    return which.NAME
"""


def publish(lam, name: str, files: dict[str, str | bytes]) -> str:
    """Publish a layer version holding `files`; its LayerVersionArn."""
    content = {"ZipFile": zip_bytes(files)}
    return lam.publish_layer_version(LayerName=name, Content=content)["LayerVersionArn"]


@pytest.fixture
def strict(fresh):
    """The kit's runtime refusing its own packages to handlers, as AWS's runtime lacks them."""
    fresh.configure(strict_imports=True)
    yield fresh
    fresh.configure(strict_imports=False)


def test_handler_imports_a_module_from_a_layers_python_folder(deploy, lam):
    arn = publish(
        lam, "greetings", {"python/greeting.py": "def hello(who):\n    return f'hi {who}'\n"}
    )
    deploy(
        "greeter",
        "import greeting\n\n\ndef handler(event, context):\n    return greeting.hello('ana')\n",
        Layers=[arn],
    )

    _, payload = call(lam, "greeter")

    assert payload == "hi ana"
    layers = lam.get_function_configuration(FunctionName="greeter")["Layers"]
    assert [layer["Arn"] for layer in layers] == [arn]


def test_site_packages_folder_of_the_functions_runtime_is_on_the_path(deploy, lam):
    # One layer, built for two runtimes: each function finds the folder named for its own.
    arn = publish(
        lam,
        "both",
        {
            "python/lib/python3.12/site-packages/which.py": "NAME = '3.12'\n",
            "python/lib/python3.13/site-packages/which.py": "NAME = '3.13'\n",
        },
    )
    deploy("on312", WHICH, Layers=[arn], Runtime="python3.12")
    deploy("on313", WHICH, Layers=[arn], Runtime="python3.13")

    assert call(lam, "on312")[1] == "3.12"
    assert call(lam, "on313")[1] == "3.13"


def test_site_packages_comes_before_the_python_folder(deploy, lam):
    # AWS's search order: /var/task, /opt/python/lib/python3.x/site-packages, /opt/python.
    arn = publish(
        lam,
        "twice",
        {
            "python/which.py": "NAME = 'python'\n",
            "python/lib/python3.12/site-packages/which.py": "NAME = 'site-packages'\n",
        },
    )
    deploy("order", WHICH, Layers=[arn])

    assert call(lam, "order")[1] == "site-packages"


def test_a_later_layer_overrides_an_earlier_layers_file(deploy, lam):
    first = publish(
        lam, "first", {"python/which.py": "NAME = 'first'\n", "python/only_first.py": "X = 1\n"}
    )
    second = publish(lam, "second", {"python/which.py": "NAME = 'second'\n"})
    source = WHICH.replace("return which.NAME", "import only_first\n    return which.NAME")
    deploy("first-then-second", source, Layers=[first, second])
    deploy("second-then-first", source, Layers=[second, first])

    assert call(lam, "first-then-second")[1] == "second"
    assert call(lam, "second-then-first")[1] == "first"


def test_the_functions_own_module_shadows_a_layers_module(deploy, lam):
    arn = publish(lam, "shadowed", {"python/which.py": "NAME = 'layer'\n"})
    deploy(
        "own",
        "",
        Layers=[arn],
        files={"app.py": WHICH, "which.py": "NAME = 'function'\n"},
    )

    assert call(lam, "own")[1] == "function"


def test_changing_layers_starts_fresh_environments(deploy, lam):
    old = publish(lam, "config", {"python/which.py": "NAME = 'v1'\n"})
    new = publish(lam, "config", {"python/which.py": "NAME = 'v2'\n"})
    source = """
import uuid

import which

ENVIRONMENT = uuid.uuid4().hex


def handler(event, context):
    return [which.NAME, ENVIRONMENT]
"""
    deploy("configured", source, Layers=[old])
    (before, first_env), (again, same_env) = call(lam, "configured")[1], call(lam, "configured")[1]
    lam.publish_version(FunctionName="configured")  # version 1 keeps layer version 1

    lam.update_function_configuration(FunctionName="configured", Layers=[new])
    after, fresh_env = call(lam, "configured")[1]

    assert (before, again, first_env) == ("v1", "v1", same_env)
    assert after == "v2"
    assert fresh_env != first_env
    assert call(lam, "configured", Qualifier="1")[1][0] == "v1"


def test_a_layer_version_that_does_not_exist_is_refused(deploy, lam):
    real = publish(lam, "real", {"python/which.py": "NAME = 'real'\n"})
    missing = real.rsplit(":", 1)[0] + ":7"

    with pytest.raises(ClientError) as created:
        deploy("nope", WHICH, Layers=[missing])
    deploy("yes", WHICH, Layers=[real])
    with pytest.raises(ClientError) as updated:
        lam.update_function_configuration(FunctionName="yes", Layers=[missing])
    with pytest.raises(ClientError) as malformed:
        lam.update_function_configuration(FunctionName="yes", Layers=[real.rsplit(":", 1)[0]])

    for error in (created, updated):
        assert error.value.response["Error"]["Code"] == "InvalidParameterValueException"
        assert (
            error.value.response["Error"]["Message"] == f"Layer version {missing} does not exist."
        )
    assert malformed.value.response["Error"]["Code"] == "ValidationException"
    assert (
        "at 'layers' failed to satisfy constraint" in malformed.value.response["Error"]["Message"]
    )
    assert call(lam, "yes")[1] == "real"


def test_a_function_keeps_a_layer_version_deleted_after_it_was_set(deploy, lam):
    arn = publish(lam, "retired", {"python/which.py": "NAME = 'kept'\n"})
    deploy("keeper", WHICH, Layers=[arn])
    lam.delete_layer_version(LayerName="retired", VersionNumber=1)  # before its first run

    assert call(lam, "keeper")[1] == "kept"
    with pytest.raises(ClientError, match="does not exist"):
        deploy("latecomer", WHICH, Layers=[arn])


def test_layer_content_from_s3(deploy, lam, fresh):
    s3 = fresh.client("s3")
    s3.create_bucket(Bucket="layers")
    s3.put_object(
        Bucket="layers", Key="which.zip", Body=zip_bytes({"python/which.py": "NAME = 's3'\n"})
    )
    arn = lam.publish_layer_version(
        LayerName="from-s3", Content={"S3Bucket": "layers", "S3Key": "which.zip"}
    )["LayerVersionArn"]
    deploy("s3-layer", WHICH, Layers=[arn])

    assert call(lam, "s3-layer")[1] == "s3"


def test_a_layer_that_is_not_a_zip_is_refused(lam):
    with pytest.raises(ClientError, match="Could not unzip uploaded file"):
        lam.publish_layer_version(LayerName="broken", Content={"ZipFile": b"not a zip"})


def test_layer_tools_data_and_tracebacks_use_the_folder_that_plays_opt(deploy, lam):
    layer = _zip_with_modes(
        {
            "bin/shout": (b'#!/bin/sh\necho HELLO "$1"\n', 0o755),  # as `chmod +x` leaves it
            "config/settings.json": (json.dumps({"colour": "blue"}).encode(), 0o644),
            "python/broken.py": (b"def fail():\n    raise ValueError('from the layer')\n", 0o644),
        }
    )
    arn = lam.publish_layer_version(LayerName="tools", Content={"ZipFile": layer})[
        "LayerVersionArn"
    ]
    source = """
import json, os, subprocess

import broken

OPT = os.environ.get("KIT_OPT_DIR", "/opt")  # unset on AWS: /opt


def handler(event, context):
    if event.get("fail"):
        broken.fail()
    with open(os.path.join(OPT, "config", "settings.json")) as f:
        colour = json.load(f)["colour"]
    shouted = subprocess.run(["shout", colour], capture_output=True, text=True).stdout.strip()
    return shouted
"""
    deploy("tooled", source, Layers=[arn])

    _, shouted = call(lam, "tooled")
    _, error = call(lam, "tooled", {"fail": True})

    assert shouted == "HELLO blue"  # bin/ is on PATH, and the script kept its mode
    assert error["errorMessage"] == "from the layer"
    assert any(frame.startswith('  File "/opt/python/broken.py"') for frame in error["stackTrace"])


def test_powertools_packaged_as_a_layer_runs_even_when_strict(deploy, lam, fresh, strict):
    arn = publish(lam, "powertools", site_packages_zip("aws-lambda-powertools", prefix="python/"))
    source = """
import aws_lambda_powertools
from aws_lambda_powertools import Logger

logger = Logger(service="orders")


def handler(event, context):
    logger.info("order received", extra={"order_id": event["id"]})
    return aws_lambda_powertools.__file__.startswith(__import__("os").environ["KIT_OPT_DIR"])
"""
    deploy("powered", source, Layers=[arn])

    _, from_layer = call(lam, "powered", {"id": "o-1"})

    assert from_layer is True
    messages = log_messages(fresh.client("logs"), "powered")
    structured = [json.loads(m) for m in messages if m.startswith("{")]
    assert structured[0]["service"] == "orders"
    assert structured[0]["order_id"] == "o-1"


def test_a_package_only_the_kit_has_is_noted_in_the_log(deploy, lam, fresh):
    deploy(
        "borrower",
        "import dateutil, requests\n\n\ndef handler(event, context):\n    return 'ok'\n",
    )

    assert call(lam, "borrower")[1] == "ok"

    notes = [m for m in log_messages(fresh.client("logs"), "borrower") if "[lambda-kit]" in m]
    assert len(notes) == 1  # requests only: dateutil comes with boto3 in AWS's runtime too
    assert "'requests' was found among the kit's own packages" in notes[0]


def test_strict_imports_fail_as_on_aws_without_the_package(deploy, lam, strict):
    deploy(
        "strict-fn",
        "import boto3, six, requests\n\n\ndef handler(event, context):\n    return 'ok'\n",
    )

    response, error = call(lam, "strict-fn")

    assert response["FunctionError"] == "Unhandled"
    assert error["errorType"] == "Runtime.ImportModuleError"
    assert error["errorMessage"] == "Unable to import module 'app': No module named 'requests'"


def test_strict_package_metadata_has_boto3_but_not_the_kits_packages(deploy, lam, strict):
    deploy(
        "metadata",
        """
import importlib.metadata as metadata


def handler(event, context):
    try:
        metadata.version("requests")
        requests = "found"
    except metadata.PackageNotFoundError:
        requests = "missing"
    return [metadata.version("boto3"), requests]
""",
    )

    assert call(lam, "metadata")[1] == [importlib.metadata.version("boto3"), "missing"]


# --------------------------------------------------------------------------- the 250 MB limit
@functools.cache
def _zeros(megabytes: int, path: str) -> bytes:
    """A ZIP holding one file of zeros: large unzipped, small zipped."""
    return zip_bytes({path: bytes(megabytes * 2**20)})


def test_layers_alone_over_the_unzipped_limit(deploy, lam):
    limit = value("zip_unzipped_bytes_max")
    content = {"ZipFile": _zeros(130, "python/big.bin")}  # fits alone; two pass 250 MB
    big = [
        lam.publish_layer_version(LayerName=f"big{i}", Content=content)["LayerVersionArn"]
        for i in (1, 2)
    ]

    with pytest.raises(ClientError) as refused:
        deploy("heavy", WHICH, Layers=big)

    assert refused.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert refused.value.response["Error"]["Message"] == (
        f"Layers consume more than the available size of {limit} bytes"
    )


def test_code_and_layers_together_over_the_unzipped_limit(lam, fresh):
    limit = value("zip_unzipped_bytes_max")
    layer_zip = _zeros(130, "python/layer.bin")
    arn = lam.publish_layer_version(LayerName="bulky", Content={"ZipFile": layer_zip})[
        "LayerVersionArn"
    ]
    code = zip_bytes({"app.py": WHICH, "data.bin": bytes(125 * 2**20)})
    settings = {"Role": execution_role(), "Runtime": "python3.12", "Handler": "app.handler"}

    with pytest.raises(ClientError) as at_create:
        lam.create_function(FunctionName="both", Code={"ZipFile": code}, Layers=[arn], **settings)
    lam.create_function(FunctionName="alone", Code={"ZipFile": code}, **settings)
    with pytest.raises(ClientError) as at_update:
        lam.update_function_configuration(FunctionName="alone", Layers=[arn])
    small = zip_bytes({"app.py": WHICH})
    lam.create_function(FunctionName="grows", Code={"ZipFile": small}, Layers=[arn], **settings)
    with pytest.raises(ClientError) as at_new_code:
        lam.update_function_code(FunctionName="grows", ZipFile=code)

    in_layer = 130 * 2**20
    in_code = 125 * 2**20 + len(WHICH)
    for refused in (at_create, at_new_code):  # the code gets the room the layers leave
        assert refused.value.response["Error"]["Message"] == (
            f"Unzipped size must be smaller than {limit - in_layer} bytes"
        )
    assert at_update.value.response["Error"]["Message"] == (
        f"Function code combined with layers exceeds the maximum allowed size of {limit} bytes. "
        f"The actual size is {in_code + in_layer} bytes."
    )
    assert not lam.get_function_configuration(FunctionName="alone").get("Layers")


# ------------------------------------------------------------------------------------ helpers
def _zip_with_modes(files: dict[str, tuple[bytes, int]]) -> bytes:
    """A ZIP whose entries carry Unix permission bits, as `zip -r` records them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (data, mode) in files.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = mode << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def test_site_packages_zip_brings_dependencies_but_not_what_the_runtime_has():
    files = site_packages_zip("aws-lambda-powertools", prefix="python/")

    tops = {name.split("/")[1] for name in files}
    assert "aws_lambda_powertools" in tops
    assert "typing_extensions.py" in tops  # a dependency, taken along as pip would
    assert not any(top.startswith(("boto3", "botocore", "jmespath")) for top in tops)
    assert not any("__pycache__" in name for name in files)
    # How this machine's pip was asked is not part of the package: the same on every clone
    # (a venv installed from the lock marks every package REQUESTED, one grown by hand doesn't).
    assert not any(name.endswith(("/REQUESTED", "/direct_url.json")) for name in files)
    assert any(name.endswith(".dist-info/METADATA") for name in files)


def test_site_packages_zip_of_a_package_that_is_not_installed_says_what_to_do():
    with pytest.raises(ValueError, match="pip install --target package/ no-such-package-xyz"):
        site_packages_zip("no-such-package-xyz")


def test_a_layer_from_another_region_is_refused(deploy, lam, fresh):
    abroad = fresh.client("lambda", region_name="eu-west-1")
    foreign = publish(abroad, "which", {"python/which.py": "NAME = 'abroad'\n"})
    with pytest.raises(ClientError) as created:
        deploy("here", WHICH, Layers=[foreign])
    deploy("here", WHICH)
    with pytest.raises(ClientError) as updated:
        lam.update_function_configuration(FunctionName="here", Layers=[foreign])
    for error in (created, updated):
        assert error.value.response["Error"]["Code"] == "InvalidParameterValueException"
        assert error.value.response["Error"]["Message"] == (
            "Layers are not in the same region as the function. Layers are expected to be in "
            "region us-east-1."
        )


def test_one_layer_twice_is_refused(deploy, lam):
    # Learner trial 9 (RD1): the same version twice, or two versions of one layer.
    first = publish(lam, "which", {"python/which.py": "NAME = 'one'\n"})
    second = publish(lam, "which", {"python/which.py": "NAME = 'two'\n"})
    with pytest.raises(ClientError) as twice:
        deploy("here", WHICH, Layers=[first, first])
    deploy("here", WHICH, Layers=[first])
    with pytest.raises(ClientError) as both:
        lam.update_function_configuration(FunctionName="here", Layers=[first, second])
    for error, (a, b) in ((twice, (first, first)), (both, (first, second))):
        assert error.value.response["Error"]["Code"] == "InvalidParameterValueException"
        assert error.value.response["Error"]["Message"] == (
            "Two different versions of the same layer are not allowed to be referenced in the "
            f"same function. {a} and {b} are versions of the same layer."
        )


def test_a_big_archive_made_again_is_the_same_and_follows_its_content():
    # zip_bytes keeps big archives it made (a Pillow layer in every attempt at 12b's exercise):
    # what it gives back is what compressing gives, and any change of a file is a new archive.
    from helpers import packaging

    files = {"python/big.bin": bytes(range(256)) * 8192, "python/a.py": "A = 1\n"}
    first = zip_bytes(files)
    assert zip_bytes(dict(files)) == first == packaging._zipped(files)
    changed = zip_bytes({**files, "python/a.py": "A = 2\n"})
    assert changed != first
    with zipfile.ZipFile(io.BytesIO(changed)) as archive:
        assert archive.read("python/a.py") == b"A = 2\n"


def test_a_layer_version_is_found_by_its_arn(lam):
    # Learner trial 9 (SD15): GetLayerVersionByArn answered 500 "not implemented".
    arn = publish(lam, "which", {"python/which.py": "NAME = 'one'\n"})
    found = lam.get_layer_version_by_arn(Arn=arn)
    assert (found["LayerVersionArn"], found["Version"]) == (arn, int(arn.rsplit(":", 1)[1]))
    assert found == {
        k: v
        for k, v in lam.get_layer_version(LayerName="which", VersionNumber=found["Version"]).items()
        if k != "ResponseMetadata"
    } | {"ResponseMetadata": found["ResponseMetadata"]}
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_layer_version_by_arn(Arn=arn.rsplit(":", 1)[0] + ":99")


@pytest.mark.parametrize(
    "pythonpath, found",
    [
        ("/opt/vendor", "vendor"),  # a layer's own folder (learner trial 13, PD4)
        ("/var/task/lib:/opt/vendor", "task lib"),  # the first folder named wins
        ("", "none"),  # without the variable, neither folder is on the path
    ],
)
def test_the_functions_pythonpath_variable_names_folders_of_opt_and_task(
    deploy, lam, pythonpath, found
):
    arn = publish(lam, "vendored", {"vendor/which.py": "NAME = 'vendor'\n"})
    source = "try:\n    import which\nexcept ImportError:\n    which = None\n\n\n"
    source += "def handler(event, context):\n    return which.NAME if which else 'none'\n"
    variables = {"PYTHONPATH": pythonpath} if pythonpath else {}
    deploy(
        "vendored",
        "",
        files={"app.py": source, "lib/which.py": "NAME = 'task lib'\n"},
        Layers=[arn],
        Environment={"Variables": variables},
    )
    assert call(lam, "vendored")[1] == found

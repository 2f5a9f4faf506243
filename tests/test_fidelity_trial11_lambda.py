"""Lambda's API and IAM roles as AWS answers them (learner trial 11: CD15, DD4, DD5, DD6, DD13,
DD12, DD14, AD15, CD13, AD4, AD10, AD11, AD12, AD13, ED6, FD4, FD15, AD9, CD16, CD9, DD18, CD10):
what AWS refuses is refused here in AWS's words (or the kit's, marked), and the valid boundary
next to it is taken."""

from __future__ import annotations

import base64
import json

import pytest

from helpers.packaging import zip_bytes
from tests.conftest import aws_error, make_queue, validation_message

ROLE_POLICIES = ["arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"]
ECHO = "def handler(event, context):\n    return event\n"
LAYER = zip_bytes({"python/idna_stub.py": "X = 1\n"})
ARN = "arn:aws:lambda:us-east-1:123456789012"


def _two_versions(lam, deploy, name: str = "counter") -> tuple[str, str]:
    deploy(name, ECHO)
    first = lam.publish_version(FunctionName=name)["Version"]
    lam.update_function_configuration(FunctionName=name, Description="second")
    lam.get_waiter("function_updated_v2").wait(FunctionName=name)
    return first, lam.publish_version(FunctionName=name)["Version"]


# ------------------------------------------------------------------------------------ CD15
def test_account_settings_answer_with_the_kits_limits(lam, deploy):  # CD15
    deploy("c-burst", ECHO)
    settings = lam.get_account_settings()
    assert settings["AccountLimit"]["ConcurrentExecutions"] == 1000
    assert settings["AccountLimit"]["UnreservedConcurrentExecutions"] == 1000
    assert settings["AccountLimit"]["CodeSizeZipped"] == 50 * 1024 * 1024
    assert settings["AccountUsage"]["FunctionCount"] == 1
    lam.put_function_concurrency(FunctionName="c-burst", ReservedConcurrentExecutions=5)
    assert lam.get_account_settings()["AccountLimit"]["UnreservedConcurrentExecutions"] == 995
    # the other read calls the testers met as an HTML 404
    config = lam.get_runtime_management_config(FunctionName="c-burst")
    assert config["UpdateRuntimeOn"] == "Auto"
    recursion = lam.get_function_recursion_config(FunctionName="c-burst")
    assert recursion["RecursiveLoop"] == "Terminate"
    assert lam.list_code_signing_configs()["CodeSigningConfigs"] == []
    code, message, status = aws_error(
        lambda: lam.get_runtime_management_config(FunctionName="missing")
    )
    assert (code, status) == ("ResourceNotFoundException", 404)
    # a call the kit doesn't model says so, in an AWS-shaped error
    code, message, status = aws_error(
        lambda: lam.invoke_with_response_stream(FunctionName="c-burst", Payload=b"{}")
    )
    assert (code, status) == ("UnsupportedOperation", 501)
    assert message.startswith("[local kit, not AWS]") and "InvokeWithResponseStream" in message


# ---------------------------------------------------------------------- layers (DD4-DD13)
def test_a_layer_name_with_a_dot_is_refused(lam):  # DD4
    code, message, status = aws_error(
        lambda: lam.publish_layer_version(LayerName="idna-3.10", Content={"ZipFile": LAYER})
    )
    assert (code, status) == ("ValidationException", 400)
    assert message.startswith(validation_message("idna-3.10", "layerName", "Member must satisfy"))
    assert lam.list_layers()["Layers"] == []
    name = "idna_3-10" + "x" * 131  # 140 characters: the longest name
    lam.publish_layer_version(LayerName=name, Content={"ZipFile": LAYER})
    code, _, _ = aws_error(
        lambda: lam.publish_layer_version(LayerName=name + "x", Content={"ZipFile": LAYER})
    )
    assert code == "ValidationException"


def test_a_layer_architecture_outside_the_enum_is_refused(lam):  # DD5
    code, message, status = aws_error(
        lambda: lam.publish_layer_version(
            LayerName="idna", Content={"ZipFile": LAYER}, CompatibleArchitectures=["x86-64"]
        )
    )
    assert (code, status) == ("ValidationException", 400)
    assert message == validation_message(
        "[x86-64]",
        "compatibleArchitectures",
        "Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]",
    )
    published = lam.publish_layer_version(
        LayerName="idna", Content={"ZipFile": LAYER}, CompatibleArchitectures=["x86_64", "arm64"]
    )
    assert published["CompatibleArchitectures"] == ["x86_64", "arm64"]


def test_a_layer_runtime_outside_the_enum_is_refused(lam):  # DD6
    code, message, status = aws_error(
        lambda: lam.publish_layer_version(
            LayerName="idna", Content={"ZipFile": LAYER}, CompatibleRuntimes=["python3.13.0"]
        )
    )
    assert (code, status) == ("ValidationException", 400)
    assert message.startswith(
        validation_message(
            "[python3.13.0]",
            "compatibleRuntimes",
            "Member must satisfy constraint: [Member must satisfy enum value set: [nodejs,",
        )
    )
    lam.publish_layer_version(
        LayerName="idna", Content={"ZipFile": LAYER}, CompatibleRuntimes=["python3.13"]
    )


def test_a_layer_description_over_256_characters_is_refused(lam):  # DD13
    code, message, status = aws_error(
        lambda: lam.publish_layer_version(
            LayerName="idna", Content={"ZipFile": LAYER}, Description="d" * 257
        )
    )
    assert (code, status) == ("ValidationException", 400)
    assert message == validation_message(
        "d" * 257, "description", "Member must have length less than or equal to 256"
    )
    lam.publish_layer_version(LayerName="idna", Content={"ZipFile": LAYER}, Description="d" * 256)


def test_a_layer_named_by_its_arn_is_the_layer_of_that_name(lam, deploy):  # DD12
    published = lam.publish_layer_version(LayerName=f"{ARN}:layer:idna", Content={"ZipFile": LAYER})
    assert published["LayerVersionArn"] == f"{ARN}:layer:idna:1"
    assert [layer["LayerName"] for layer in lam.list_layers()["Layers"]] == ["idna"]
    again = lam.get_layer_version(LayerName=f"{ARN}:layer:idna", VersionNumber=1)
    assert again["LayerVersionArn"] == f"{ARN}:layer:idna:1"
    deploy("domains", ECHO, Layers=[published["LayerVersionArn"]])
    code, _, status = aws_error(
        lambda: lam.publish_layer_version(
            LayerName="arn:aws:lambda:us-east-1:999999999999:layer:idna",
            Content={"ZipFile": LAYER},
        )
    )
    assert (code, status) == ("InvalidParameterValueException", 400)


def test_a_public_layer_of_another_account_is_refused_in_the_kits_words(lam, deploy):  # FD15
    public = (
        "arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python312-x86_64:7"
    )
    code, message, status = aws_error(lambda: deploy("order-worker", ECHO, Layers=[public]))
    assert (code, status) == ("InvalidParameterValueException", 400)
    assert message.startswith("[local kit, not AWS]") and "does not exist" not in message
    # a missing version of the kit's own account is still one that does not exist
    code, message, _ = aws_error(lambda: deploy("order-worker", ECHO, Layers=[f"{ARN}:layer:x:1"]))
    assert message == f"Layer version {ARN}:layer:x:1 does not exist."


# ------------------------------------------------------------- aliases and versions (DD14, AD15)
def test_alias_and_version_descriptions_over_256_characters_are_refused(lam, deploy):  # DD14
    first, _ = _two_versions(lam, deploy)
    too_long = validation_message(
        "x" * 257, "description", "Member must have length less than or equal to 256"
    )
    code, message, status = aws_error(
        lambda: lam.publish_version(FunctionName="counter", Description="x" * 257)
    )
    assert (code, message, status) == ("ValidationException", too_long, 400)
    for call in (lam.create_alias, lam.update_alias):
        if call == lam.update_alias:
            lam.create_alias(FunctionName="counter", Name="live", FunctionVersion=first)
        code, message, status = aws_error(
            lambda call=call: call(
                FunctionName="counter", Name="live", FunctionVersion=first, Description="x" * 257
            )
        )
        assert (code, message, status) == ("ValidationException", too_long, 400)
    lam.update_alias(FunctionName="counter", Name="live", Description="x" * 256)
    assert lam.get_alias(FunctionName="counter", Name="live")["Description"] == "x" * 256


def test_a_tracing_mode_outside_the_enum_is_refused(lam, deploy):  # AD15
    code, message, status = aws_error(lambda: deploy("greeter", ECHO, TracingConfig={"Mode": "On"}))
    assert (code, status) == ("ValidationException", 400)
    assert message == validation_message(
        "On", "tracingConfig.mode", "Member must satisfy enum value set: [Active, PassThrough]"
    )
    deploy("greeter", ECHO, TracingConfig={"Mode": "PassThrough"})
    lam.get_waiter("function_active_v2").wait(FunctionName="greeter")
    code, _, _ = aws_error(
        lambda: lam.update_function_configuration(
            FunctionName="greeter", TracingConfig={"Mode": "active"}
        )
    )
    assert code == "ValidationException"


def test_more_than_50_tags_or_an_aws_prefix_is_refused(lam, deploy):  # CD13, AD15
    code, message, status = aws_error(
        lambda: deploy("tagged", ECHO, Tags={f"k{i}": "v" for i in range(51)})
    )
    assert (code, status) == ("InvalidParameterValueException", 400)
    assert message.startswith("[local kit, not AWS")
    code, _, _ = aws_error(lambda: deploy("tagged", ECHO, Tags={"aws:owner": "me"}))
    assert code == "InvalidParameterValueException"
    arn = deploy("tagged", ECHO, Tags={f"k{i}": "v" for i in range(49)})["FunctionArn"]
    lam.tag_resource(Resource=arn, Tags={"k49": "v"})  # the 50th
    code, _, _ = aws_error(lambda: lam.tag_resource(Resource=arn, Tags={"k50": "v"}))
    assert code == "InvalidParameterValueException"
    assert len(lam.list_tags(Resource=arn)["Tags"]) == 50


def test_an_alias_routing_to_its_own_main_version_is_refused(lam, deploy):  # AD4
    first, second = _two_versions(lam, deploy)
    refused = (
        "InvalidParameterValueException",
        f"Invalid function version {first}. Function version {first} is already included in "
        "routing configuration.",
        400,
    )
    assert (
        aws_error(
            lambda: lam.create_alias(
                FunctionName="counter",
                Name="live",
                FunctionVersion=first,
                RoutingConfig={"AdditionalVersionWeights": {first: 0.25}},
            )
        )
        == refused
    )
    lam.create_alias(
        FunctionName="counter",
        Name="live",
        FunctionVersion=first,
        RoutingConfig={"AdditionalVersionWeights": {second: 0.25}},
    )
    # "promoting" the canary without clearing the routing is the same mistake
    code, message, _ = aws_error(
        lambda: lam.update_alias(FunctionName="counter", Name="live", FunctionVersion=second)
    )
    assert (code, message) == (
        "InvalidParameterValueException",
        f"Invalid function version {second}. Function version {second} is already included in "
        "routing configuration.",
    )
    lam.update_alias(
        FunctionName="counter",
        Name="live",
        FunctionVersion=second,
        RoutingConfig={"AdditionalVersionWeights": {}},
    )
    assert lam.get_alias(FunctionName="counter", Name="live")["FunctionVersion"] == second


# ---------------------------------------------------------------------- functions (AD10, AD11)
@pytest.mark.parametrize("given", [f"{ARN}:function:greeter", "123456789012:function:greeter"])
def test_a_function_created_by_its_arn_is_named_by_it(lam, deploy, given):  # AD10
    created = deploy(given, ECHO)
    assert created["FunctionName"] == "greeter"
    assert created["FunctionArn"] == f"{ARN}:function:greeter"
    lam.get_waiter("function_active_v2").wait(FunctionName=given)
    assert [f["FunctionName"] for f in lam.list_functions()["Functions"]] == ["greeter"]
    code, _, status = aws_error(
        lambda: deploy("arn:aws:lambda:us-east-1:999999999999:function:greeter", ECHO)
    )
    assert (code, status) == ("AccessDeniedException", 403)


def test_a_log_level_with_the_text_format_is_refused(lam, deploy):  # AD11
    refused = (
        "InvalidParameterValueException",
        'LogLevel is not supported when LogFormat is set to "Text". Remove LogLevel from your '
        'request or change the LogFormat to "Json" and try again.',
        400,
    )
    text_info = {"LogFormat": "Text", "ApplicationLogLevel": "INFO"}
    assert aws_error(lambda: deploy("greeter", ECHO, LoggingConfig=text_info)) == refused
    deploy("greeter", ECHO, LoggingConfig={"LogFormat": "Text"})
    lam.get_waiter("function_active_v2").wait(FunctionName="greeter")
    update = lam.update_function_configuration
    assert aws_error(lambda: update(FunctionName="greeter", LoggingConfig=text_info)) == refused
    # the format kept (Text) counts when the update gives a level only
    only_level = {"SystemLogLevel": "WARN"}
    assert aws_error(lambda: update(FunctionName="greeter", LoggingConfig=only_level)) == refused
    update(
        FunctionName="greeter", LoggingConfig={"LogFormat": "JSON", "ApplicationLogLevel": "INFO"}
    )
    lam.get_waiter("function_updated_v2").wait(FunctionName="greeter")
    update(FunctionName="greeter", LoggingConfig={"SystemLogLevel": "WARN"})


# ----------------------------------------------------------- event source mappings (AD12, AD13)
def test_mapping_ranges_and_response_types_are_checked(fresh, lam, sqs, deploy):  # AD12 AD13 ED6
    deploy("order-worker", ECHO)
    _, orders = make_queue(sqs, "orders")
    create = lam.create_event_source_mapping
    code, message, status = aws_error(
        lambda: create(
            EventSourceArn=orders,
            FunctionName="order-worker",
            MaximumBatchingWindowInSeconds=301,
        )
    )
    assert (code, status) == ("ValidationException", 400)
    assert message == validation_message(
        "301",
        "maximumBatchingWindowInSeconds",
        "Member must have value less than or equal to 300",
    )
    code, message, _ = aws_error(
        lambda: create(
            EventSourceArn=orders,
            FunctionName="order-worker",
            FunctionResponseTypes=["ReportBatchItemFailure"],
        )
    )
    assert message == validation_message(
        "[ReportBatchItemFailure]",
        "functionResponseTypes",
        "Member must satisfy constraint: [Member must satisfy enum value set: "
        "[ReportBatchItemFailures]]",
    )
    assert lam.list_event_source_mappings()["EventSourceMappings"] == []
    mapping = create(
        EventSourceArn=orders,
        FunctionName="order-worker",
        BatchSize=20,
        MaximumBatchingWindowInSeconds=300,
        FunctionResponseTypes=["ReportBatchItemFailures"],
    )
    code, message, _ = aws_error(
        lambda: lam.update_event_source_mapping(
            UUID=mapping["UUID"], MaximumBatchingWindowInSeconds=600
        )
    )
    assert code == "ValidationException" and "less than or equal to 300" in message
    lam.update_event_source_mapping(UUID=mapping["UUID"], MaximumBatchingWindowInSeconds=1)


# ------------------------------------------------------------------------ permissions (FD4)
def test_a_permission_action_without_the_lambda_prefix_is_refused(lam, deploy):  # FD4
    deploy("receipts", ECHO)
    code, message, status = aws_error(
        lambda: lam.add_permission(
            FunctionName="receipts",
            StatementId="api",
            Action="InvokeFunction",
            Principal="apigateway.amazonaws.com",
        )
    )
    assert (code, status) == ("ValidationException", 400)
    assert message == validation_message(
        "InvokeFunction",
        "action",
        "Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])",
    )
    for number, action in enumerate(("lambda:InvokeFunction", "lambda:*", "*")):
        lam.add_permission(
            FunctionName="receipts",
            StatementId=f"api{number}",
            Action=action,
            Principal="apigateway.amazonaws.com",
        )


# ------------------------------------------------------------- concurrency and invoke (CD16, CD9)
def test_reserved_concurrency_on_a_qualifier_is_refused(lam, deploy):  # CD16
    deploy("c-burst", ECHO)
    for name in ("c-burst:$LATEST", f"{ARN}:function:c-burst:live"):
        code, message, status = aws_error(
            lambda name=name: lam.put_function_concurrency(
                FunctionName=name, ReservedConcurrentExecutions=2
            )
        )
        assert (code, status) == ("InvalidParameterValueException", 400)
        assert message.startswith("[local kit, not AWS")
    assert "ReservedConcurrentExecutions" not in lam.get_function(FunctionName="c-burst").get(
        "Concurrency", {}
    )
    lam.put_function_concurrency(
        FunctionName=f"{ARN}:function:c-burst", ReservedConcurrentExecutions=2
    )
    assert lam.get_function_concurrency(FunctionName="c-burst")["ReservedConcurrentExecutions"] == 2


def test_a_client_context_over_3583_bytes_or_not_base64_is_refused(lam, deploy):  # CD9
    deploy("thumbnailer", ECHO)
    code, message, status = aws_error(
        lambda: lam.invoke(FunctionName="thumbnailer", Payload=b"{}", ClientContext="{not base64}")
    )
    assert (code, status) == ("InvalidRequestContentException", 400)
    assert message.startswith("[local kit, not AWS")

    def context(size: int) -> str:
        return base64.b64encode(json.dumps({"custom": {"k": "v" * size}}).encode()).decode()

    largest = context(2664)  # 2,685 bytes of JSON: 3,580 of base64, the most under 3,583
    assert len(largest) == 3580
    answer = lam.invoke(FunctionName="thumbnailer", Payload=b"{}", ClientContext=largest)
    assert answer["StatusCode"] == 200
    code, _, status = aws_error(
        lambda: lam.invoke(FunctionName="thumbnailer", Payload=b"{}", ClientContext=context(4000))
    )
    assert (code, status) == ("InvalidRequestContentException", 400)


# --------------------------------------------------------------------------- IAM (DD18, CD10)
def test_a_role_arn_as_role_name_is_a_validation_error(iam):  # DD18
    from helpers.iam import execution_role

    arn = execution_role("db-reader-role")
    policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}],
        }
    )
    code, message, status = aws_error(
        lambda: iam.put_role_policy(RoleName=arn, PolicyName="read", PolicyDocument=policy)
    )
    assert (code, status) == ("ValidationError", 400)
    assert message == (
        f"1 validation error detected: Value '{arn}' at 'roleName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"
    )
    iam.put_role_policy(RoleName="db-reader-role", PolicyName="read", PolicyDocument=policy)
    code, _, _ = aws_error(lambda: iam.list_attached_role_policies(RoleName=arn))
    assert code == "ValidationError"


def test_inline_role_policies_over_10240_characters_are_refused(iam):  # CD10
    iam.create_role(
        RoleName="buckets-role",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )

    def policy(statements: int, pad: int = 0) -> str:
        return json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": f"S{i}",
                        "Effect": "Allow",
                        "Action": "s3:ListAllMyBuckets",
                        "Resource": "*",
                    }
                    for i in range(statements)
                ],
            },
            indent=4 + pad,  # whitespace isn't counted
        )

    code, message, status = aws_error(
        lambda: iam.put_role_policy(
            RoleName="buckets-role", PolicyName="probe", PolicyDocument=policy(180)
        )
    )
    assert (code, status) == ("LimitExceeded", 409)
    assert message == "Maximum policy size of 10240 bytes exceeded for role buckets-role"
    iam.put_role_policy(RoleName="buckets-role", PolicyName="probe", PolicyDocument=policy(100))
    # the role's inline policies count together
    code, _, _ = aws_error(
        lambda: iam.put_role_policy(
            RoleName="buckets-role", PolicyName="more", PolicyDocument=policy(80)
        )
    )
    assert code == "LimitExceeded"
    # replacing a policy counts its new text only
    iam.put_role_policy(RoleName="buckets-role", PolicyName="probe", PolicyDocument=policy(120, 8))

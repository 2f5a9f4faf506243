"""What CreateEventSourceMapping and UpdateEventSourceMapping refuse, as AWS refuses it, and
what a mapping keeps (an alias): the checks `event_sources` runs before and after moto's own."""

from __future__ import annotations

from typing import Any

from moto.awslambda import models as lambda_models
from moto.sqs import models as sqs_models

from .. import access
from ..triggers import mapping_filters


def keep_the_alias(esm: Any, spec: dict[str, Any]) -> None:
    """A mapping given an alias (`f:live`) keeps the alias, as on AWS, and runs whatever version
    it points at when each batch is sent: moto stored the version the alias named at creation
    (learner trial 9, M2's note: after update_alias the mapping still ran the old version)."""
    name = str(spec.get("FunctionName") or "")
    parts = name.split(":")
    if name.startswith("arn:"):
        qualifier = parts[7] if len(parts) > 7 else ""
    elif len(parts) >= 3 and parts[1] == "function":  # 123456789012:function:name[:qualifier]
        qualifier = parts[3] if len(parts) > 3 else ""
    else:
        qualifier = parts[1] if len(parts) == 2 else ""
    if qualifier and not qualifier.isdigit() and qualifier != "$LATEST":
        esm.function_arn = f"{esm.function_arn.rsplit(':', 1)[0]}:{qualifier}"


# AWS's answers about StartingPosition, as LocalStack's snapshot tests record them against AWS
# (localstack/localstack#7696 and #12329, services/lambda_/provider.py), as of 2026-12: a stream
# needs one; DynamoDB streams have no AT_TIMESTAMP. A queue takes none ("Invalid request
# provided: StartingPosition is not valid for SQS event sources.", quoted as the create's failure
# in a public CloudFormation policy rule, pf-lambda-esm-sqs-starting-position; the API reference
# lists StartingPosition for streams only).
NO_STARTING_POSITION = (
    "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: "
    "Member must not be null."
)
SQS_STARTING_POSITION = (
    "Invalid request provided: StartingPosition is not valid for SQS event sources."
)


def _check_starting_position(arn: str, position: str | None) -> None:
    service = arn.split(":")[2] if arn.count(":") >= 2 else ""
    if service in ("kinesis", "dynamodb"):
        if not position:
            raise lambda_models.InvalidParameterValueException(NO_STARTING_POSITION)
        if service == "dynamodb" and position == "AT_TIMESTAMP":
            raise lambda_models.InvalidParameterValueException(
                f"Unsupported starting position for arn type: {arn}"
            )
    elif service == "sqs" and position:
        raise lambda_models.InvalidParameterValueException(SQS_STARTING_POSITION)


# Settings for streams only: the CreateEventSourceMapping API reference marks each "(Kinesis and
# DynamoDB Streams only)" or, for DestinationConfig, "(Kinesis, DynamoDB Streams, Amazon MSK, and
# self-managed Apache Kafka event sources only)"
# (https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html; the CLI's
# create-event-source-mapping lists the same "error handling options ... for stream sources";
# as of 2026-12). On SQS AWS refuses them with InvalidParameterValueException. No source gives
# AWS's exact text for these: the kit uses the closest documented wording, AWS's answer for
# StartingPosition on a queue (above), with the parameter's own name.
STREAM_ONLY = (
    "BisectBatchOnFunctionError",
    "MaximumRecordAgeInSeconds",
    "MaximumRetryAttempts",
    "ParallelizationFactor",
    "StartingPositionTimestamp",
    "TumblingWindowInSeconds",
    "DestinationConfig",
)


def check_stream_only(spec: dict[str, Any]) -> None:
    """A queue's mapping given a stream's setting: refused, as on AWS."""
    for name in STREAM_ONLY:
        if spec.get(name) is not None:
            raise lambda_models.InvalidParameterValueException(
                f"Invalid request provided: {name} is not valid for SQS event sources."
            )


# ScalingConfig is "(Amazon SQS only)" (the CreateEventSourceMapping API reference and
# CloudFormation's AWS::Lambda::EventSourceMapping ScalingConfig, "To remove the configuration,
# pass an empty value"; as of 2026-12): a stream's mapping given a maximum concurrency is
# refused (learner trial 13, QD6). AWS's words weren't found: the kit's follow those above.
def check_sqs_only(spec: dict[str, Any], arn: str) -> None:
    """A stream's mapping given a queue's setting: refused, as on AWS."""
    if spec.get("ScalingConfig"):
        service = {"kinesis": "Kinesis", "dynamodb": "DynamoDB Streams"}.get(
            arn.split(":")[2] if arn.count(":") >= 2 else "", "this"
        )
        raise lambda_models.InvalidParameterValueException(
            "[local kit, not AWS: AWS's own words weren't found] Invalid request provided: "
            f"ScalingConfig is not valid for {service} event sources (Amazon SQS only)."
        )


# "MaximumBatchingWindowInSeconds ... Batching window is not supported for FIFO queues" (Lambda
# parameters for Amazon SQS event source mappings,
# https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html, as of 2026-12); AWS's
# answer as CloudFormation relays it, "Invalid request provided: Batching window is not supported
# for FIFO queues (Service: Lambda, Status Code: 400 ...)" (aws/aws-lambda-dotnet#1758). A window
# of 0, the default, is no window. Outside check 12, M5.
FIFO_WINDOW = "Invalid request provided: Batching window is not supported for FIFO queues"


def check_sqs_batch(batch: Any, window: Any, arn: str = "") -> None:
    if window and str(arn).endswith(".fifo"):
        raise lambda_models.InvalidParameterValueException(FIFO_WINDOW)
    if batch and int(batch) > 10 and not window:
        raise lambda_models.InvalidParameterValueException(
            "Maximum batch window in seconds must be greater than 0 if maximum batch size "
            "is greater than 10"
        )


# A stream mapping's MaximumRecordAgeInSeconds is -1 (infinite) or 60 to 604,800 seconds: "The
# minimum valid value for maximum record age is 60s. Although values less than 60 and greater
# than -1 fall within the parameter's absolute range, they are not allowed"
# (https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html, as of 2026-12;
# the absolute range is `lambda_requests`' check). moto took 30 (learner trial 13, T-QD5). AWS's
# words for the refusal weren't found: the message is the kit's.
RECORD_AGE_MIN = 60


def check_record_age(spec: dict[str, Any]) -> None:
    age = spec.get("MaximumRecordAgeInSeconds")
    if isinstance(age, int) and age != -1 and 0 <= age < RECORD_AGE_MIN:
        raise lambda_models.InvalidParameterValueException(
            "[local kit, not AWS: AWS's own words weren't found] MaximumRecordAgeInSeconds is -1 "
            f"(no limit) or {RECORD_AGE_MIN} to 604800 seconds; this request gives {age}."
        )


def check_filters(spec: dict[str, Any]) -> None:
    try:
        mapping_filters.check_criteria(spec.get("FilterCriteria"))
    except ValueError as exc:
        raise lambda_models.InvalidParameterValueException(str(exc)) from None


def check_mapping(backend: Any, spec: dict[str, Any]) -> None:
    arn = spec.get("EventSourceArn") or ""
    check_filters(spec)
    _check_starting_position(arn, spec.get("StartingPosition"))
    _refuse_a_second_mapping(backend, arn, spec.get("FunctionName") or "")
    batch = spec.get("BatchSize")
    window = spec.get("MaximumBatchingWindowInSeconds") or 0
    if arn.split(":")[2:3] != ["sqs"]:
        check_sqs_only(spec, arn)
    if arn.split(":")[2:3] == ["sqs"]:
        check_stream_only(spec)
        check_sqs_batch(batch, window, arn)
        queue_name = arn.rsplit(":", 1)[-1]
        queues = sqs_models.sqs_backends[backend.account_id][backend.region_name].queues
        queue = queues.get(queue_name)
        fn = backend.get_function(spec.get("FunctionName", ""))
        if queue is not None and int(queue.visibility_timeout) < int(fn.timeout):
            raise lambda_models.InvalidParameterValueException(
                f"Queue visibility timeout: {queue.visibility_timeout} seconds is less than "
                f"Function timeout: {fn.timeout} seconds"
            )
        # Lambda polls the queue with the function's role, and checks it can before it starts.
        for action in ("ReceiveMessage", "DeleteMessage", "GetQueueAttributes"):
            if access.role_denial(fn.account_id, fn.role, fn.function_name, f"sqs:{action}", arn):
                raise lambda_models.InvalidParameterValueException(
                    f"The function execution role does not have permissions to call {action} on SQS"
                )
    elif (":dynamodb:" in arn and "/stream/" in arn) or ":kinesis:" in arn:
        check_record_age(spec)
        # The same words for both (alertlogic/cwe-collector#2 quotes Kinesis's, 2017).
        fn = backend.get_function(spec.get("FunctionName", ""))
        service = arn.split(":")[2]
        actions = ("GetRecords", "GetShardIterator", "DescribeStream", "ListStreams")
        if any(
            access.role_denial(fn.account_id, fn.role, fn.function_name, f"{service}:{a}", arn)
            for a in actions
        ):
            raise lambda_models.InvalidParameterValueException(
                f"Cannot access stream {arn}. Please ensure the role can perform the GetRecords, "
                "GetShardIterator, DescribeStream, and ListStreams Actions on your stream in IAM."
            )


def _refuse_a_second_mapping(backend: Any, source_arn: str, function: str) -> None:
    """One mapping per event source and function (its version or alias counts), as on AWS.

    AWS answers a second one with ResourceConflictException, in the words users quote
    (aws/serverless-application-model#1320 for streams; DataBiosphere/azul#3399 for SQS, whose
    wording differs; localstack/localstack#9996 tried all three), as of 2026-12.
    """
    try:
        fn = backend._lambdas.get_function_by_name_or_arn_with_qualifier(function)
    except Exception:
        return  # moto's own check names a function that does not exist
    wanted = fn.function_arn  # as moto stores it: an alias's mapping holds its version's ARN
    for esm in backend._event_source_mappings.values():
        if esm.event_source_arn != source_arn or esm.function_arn != wanted:
            continue
        name = fn.function_name
        if source_arn.split(":")[2:3] == ["sqs"]:
            text = (
                f'An event source mapping with SQS arn (" {source_arn} ") and function (" {name} ")'
            )
            text += " already exists."
        else:
            text = (
                f'The event source arn (" {source_arn} ") and function (" {name} ") provided '
                "mapping already exists."
            )
        conflict = lambda_models.LambdaClientError(
            "ResourceConflictException",
            f"{text} Please update or delete the existing mapping with UUID {esm.uuid}",
        )
        conflict.code = 409  # the status of ResourceConflictException in botocore's model
        raise conflict

"""Every change the kit makes to moto, in one package, each named for what it fixes.

moto is the control plane (functions, queues, buckets, rules, APIs...): it keeps what the
learner configures. These patches hand execution to the kit: the Lambda runtime runs functions,
and the event sources fire them as AWS would. Each module patches one area at narrow seams:

- `lambda_api`: Invoke, InvokeAsync, every trigger's invoke, create/update checks, delete, reset.
- `event_sources`: S3, SNS, SQS and DynamoDB Streams mappings, EventBridge, Logs subscriptions;
  `mapping_checks`, what CreateEventSourceMapping and UpdateEventSourceMapping refuse.
- `http_endpoints`: API Gateway and function URLs answer on the kit's own server.
- `http_api_deployments`: HTTP API stages without AutoDeploy serve what was deployed to them.
- `provisioned_concurrency`: the provisioned concurrency API moto lacks.
- `iam_enforcement`: the handler's own calls checked against its execution role
  (`aws.configure(enforce_iam=True)`; `helpers.access` decides).
- `iam_names`: role, user and policy names AWS refuses (a space, a `/`, too long).
- `lambda_validation`: names, packages, invocation types and alias routing AWS refuses.
- `function_names`: partial ARNs, `name:$LATEST`, conflicting qualifiers, and ARNs of another
  Region or account, taken and refused as Lambda's API does.
- `s3_buckets`: bucket names as AWS's rules have them.
- `s3_notifications`: notification key filters as S3 takes them, and overlapping ones refused.
- `sns_subscriptions`: Subscribe refusals that leave nothing behind, as on AWS.
- `sqs_queues`: a RedrivePolicy to a missing dead-letter queue refused in SQS's words.
- `resource_policies`: `add_permission`'s statements as AWS writes them, and S3 and Logs
  refusing a destination function that doesn't allow them (`helpers.access` decides).
- `moto_lookups`: moto's server lists its package folder once, not on every request.
- `fast_start`: two packages moto's imports pull in, deferred (2 s and 28 MB off every start).
- `logging_config`: a function's LoggingConfig (JSON log format, log levels), kept and returned.
- `cloudwatch_metrics`: metric queries with exact dimensions, namespaces and percentiles.
- `cloudwatch_alarms`: metric alarms evaluated on the kit's clock, with history and SNS actions.
- `filter_log_events`: FilterLogEvents with the whole filter pattern syntax (JSON selectors ...).
- `logs_insights`: Logs Insights queries with filter and stats, not only fields.
- `logs_requests`: CloudWatch Logs parameters AWS refuses or takes (learner trial 11).
- `sns_batch_ids`, `sqs_message_bodies`, `s3_list_buckets`, `http_api_import`: PublishBatch
  Ids, SQS bodies, ListBuckets' MaxBuckets AWS refuses; ImportApi refused in the kit's words.
- `dynamodb_updated_values`: UpdateItem's UPDATED_OLD/NEW return every attribute it names.
- `dynamodb_tables`: CreateTable refuses a key attribute type that isn't S, N or B.
- `dynamodb_items`: Numbers' range and 38 digits, DeleteItem's empty keys, BatchWriteItem's 25.
- `dynamodb_expressions`: an expression that doesn't parse gets AWS's ValidationException.
- `http_api_requests`: HTTP API integrations' and routes' types, versions, timeouts, targets.
- `dynamodb_requests`: Put/Delete/UpdateItem's enums, unused values, legacy `Expected` rules.
- `dynamodb_transactions`: TransactWriteItems' ClientRequestToken, valid for 10 minutes.
- `function_states`: `Pending` after create and `InProgress` after an update, for a moment.
- `revisions`: a function's RevisionId, checked by the updates that are given one.
- `stack_failures`: a CloudFormation stack whose resource fails rolls back as on AWS.
- `lambda_status_codes`: GetAlias, DeleteAlias, CreateEventSourceMapping... answer AWS's status.
- `lambda_vpc`: VpcConfig's lists default to empty, and an update into subnets checks the role.
- `events_patterns`, `sns_requests`: event patterns, subscription attributes and structured
  messages AWS refuses (learner trial 12).
- `events_targets`, `sns_publish`, `dynamodb_validation`, `lambda_settings`: PutRule/PutTargets,
  Publish, DynamoDB and Lambda parameters AWS refuses (learner trial 11), and SnapStart kept.
- `lambda_requests`, `layer_requests`, `iam_requests`: Lambda, layer and IAM role requests
  checked as AWS's model has them, and the Lambda read calls moto lacks (learner trial 11).

`apply(runtime_getter)` installs them once per process; they stay and only delegate to the
runtime in charge (None when the local AWS is stopped).
"""

from __future__ import annotations

from collections.abc import Callable

from ..runtime.service import Runtime
from .fast_start import defer_openapi_spec_validator, defer_rfc3987_syntax

defer_rfc3987_syntax()  # before moto's API Gateway (below) imports jsonschema
defer_openapi_spec_validator()  # before the patches below import moto's API Gateway

from . import (  # noqa: E402
    cloudwatch_alarms,
    cloudwatch_metrics,
    dynamodb_expression_rules,
    dynamodb_expressions,
    dynamodb_items,
    dynamodb_requests,
    dynamodb_tables,
    dynamodb_transactions,
    dynamodb_updated_values,
    dynamodb_validation,
    event_sources,
    events_patterns,
    events_targets,
    filter_log_events,
    function_names,
    function_states,
    http_api_deployments,
    http_api_import,
    http_api_requests,
    http_endpoints,
    iam_enforcement,
    iam_names,
    iam_requests,
    lambda_api,
    lambda_requests,
    lambda_settings,
    lambda_status_codes,
    lambda_validation,
    lambda_vpc,
    layer_requests,
    logging_config,
    logs_insights,
    logs_requests,
    moto_lookups,
    provisioned_concurrency,
    resource_policies,
    revisions,
    s3_buckets,
    s3_list_buckets,
    s3_notifications,
    sns_batch_ids,
    sns_publish,
    sns_requests,
    sns_subscriptions,
    sqs_message_bodies,
    sqs_queues,
    stack_failures,
)

_applied = False


def apply(runtime: Callable[[], Runtime | None]) -> None:
    """Install every patch (once per process); `runtime()` gives the runtime in charge."""
    global _applied
    if _applied:
        lambda_api._runtime = runtime
        event_sources._runtime = runtime
        http_endpoints.runtime_getter = runtime
        provisioned_concurrency.runtime_getter = runtime
        cloudwatch_alarms.runtime_getter = runtime
        lambda_requests.runtime_getter = runtime
        return
    _applied = True
    moto_lookups.apply()
    lambda_api.apply(runtime)
    lambda_validation.apply()
    s3_buckets.apply()
    s3_notifications.apply()
    sns_subscriptions.apply()
    sqs_queues.apply()
    event_sources.apply(runtime)
    resource_policies.apply()  # after event_sources: it wraps PutSubscriptionFilter's check
    http_endpoints.apply(runtime)
    http_api_deployments.apply()
    http_api_requests.apply()
    provisioned_concurrency.apply(runtime)
    function_names.apply()  # after http_endpoints and provisioned_concurrency: their routes too
    iam_enforcement.apply()
    iam_names.apply()
    logging_config.apply()  # after lambda_api: it wraps the methods lambda_api installed
    cloudwatch_metrics.apply()
    cloudwatch_alarms.apply(runtime)
    filter_log_events.apply()
    logs_insights.apply()
    logs_requests.apply()  # after filter_log_events: CD8, CD11, CD14, CD19, CD20
    dynamodb_transactions.apply()
    stack_failures.apply()
    revisions.apply()
    dynamodb_expressions.apply()
    dynamodb_updated_values.apply()
    dynamodb_tables.apply()
    dynamodb_items.apply()
    dynamodb_requests.apply()
    dynamodb_validation.apply()  # after dynamodb_transactions and _items: its checks come first
    dynamodb_expression_rules.apply()  # after dynamodb_validation: first (T-OD5, T-OD7, T-OD8)
    events_targets.apply()
    events_patterns.apply()  # after events_targets: its check comes first (HD17)
    sns_publish.apply()  # after sns_subscriptions: its checks come first
    sns_batch_ids.apply()  # after sns_publish: its check comes first (ED3)
    sns_requests.apply()  # after sns_subscriptions and sns_publish: first (HD16, KD3)
    sqs_message_bodies.apply()  # FD14
    s3_list_buckets.apply()  # CD7
    http_api_import.apply()  # FD6
    lambda_settings.apply()  # after lambda_api, lambda_validation, logging_config
    lambda_vpc.apply()  # ID11
    lambda_requests.apply(runtime)  # after revisions: its checks come first
    layer_requests.apply()
    iam_requests.apply()  # after iam_names
    function_states.apply()  # last: its checks run before the other patches' updates
    lambda_status_codes.apply()  # outside every check: it only restates a success's status

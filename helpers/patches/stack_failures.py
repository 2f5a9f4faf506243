"""A CloudFormation stack whose resource fails ends as on AWS, and the API keeps its own format.

moto creates a stack's resources inside CreateStack (and updates them inside UpdateStack). An
error of the resource's own service, say Lambda's `InvalidParameterValueException` for a retired
runtime, escaped as that service's JSON error through CloudFormation's XML API (boto3:
`ResponseParserError`), and the stack stayed `CREATE_IN_PROGRESS` for good.

On AWS, CreateStack answers with the stack's id, and the failure shows in the stack's events:
- the resource: `CREATE_FAILED`, `Resource handler returned message: "<the service's message>
  (Service: Lambda, Status Code: 400, Request ID: …)" (RequestToken: …, HandlerErrorCode:
  InvalidRequest)`;
- the stack: `ROLLBACK_IN_PROGRESS`, "The following resource(s) failed to create: [Fn].
  Rollback requested by user."; what it had created is deleted; then `ROLLBACK_COMPLETE`, a stack
  with no outputs that can only be deleted. With `OnFailure="DO_NOTHING"` (or `DisableRollback`)
  the stack stops at `CREATE_FAILED` and keeps what it created; with `OnFailure="DELETE"` it is
  deleted (`DELETE_COMPLETE`).
- A failed update: the resource `UPDATE_FAILED`, the stack `UPDATE_ROLLBACK_IN_PROGRESS` ("The
  following resource(s) failed to update: [Fn]. "), then `UPDATE_ROLLBACK_COMPLETE` on its previous
  template.

Sources (as of 2026-12): https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stack-failure-options.html
and https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html
(OnFailure, DisableRollback); the messages as users quote them:
https://github.com/aws-samples/bedrock-access-gateway/issues/205 (CREATE_FAILED's reason),
https://github.com/aws-solutions/dynamic-image-transformation-for-amazon-cloudfront/issues/46
(the events of a rollback). Not modelled: rolling back the resources an update changed before
the one that failed (their new settings stay).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

models: Any = None  # moto.cloudformation.models, once installed
# What the CreateStack request asked for on failure: read in the request's thread.
_request = threading.local()

# HandlerErrorCode that CloudFormation's resource handlers give for a service's error code.
_HANDLER_ERRORS = {
    "AccessDenied": "AccessDenied",
    "AccessDeniedException": "AccessDenied",
    "ResourceConflictException": "AlreadyExists",
    "ResourceNotFoundException": "NotFound",
    "TooManyRequestsException": "Throttling",
}


class ResourceFailed(Exception):
    """One resource of a stack failed: its logical id, type and the service's error."""

    def __init__(self, logical_id: str, resource_type: str, error: Exception) -> None:
        super().__init__(f"{logical_id} ({resource_type}): {error}")
        self.logical_id = logical_id
        self.resource_type = resource_type
        self.error = error

    def reason(self) -> str:
        """The resource event's ResourceStatusReason, as CloudFormation writes it."""
        error = self.error
        code = getattr(error, "error_type", None) or getattr(error, "code", None) or ""
        status = getattr(error, "code", 400)
        status = status if isinstance(status, int) else 400
        message = getattr(error, "message", None) or str(error)
        service = self.resource_type.split("::")[1] if "::" in self.resource_type else "AWS"
        handler = _HANDLER_ERRORS.get(str(code), "InvalidRequest" if status < 500 else "")
        return (
            f'Resource handler returned message: "{message} (Service: {service}, Status Code: '
            f'{status}, Request ID: {uuid.uuid4()})" (RequestToken: {uuid.uuid4()}, '
            f"HandlerErrorCode: {handler or 'GeneralServiceException'})"
        )


class _NoOutputs(dict):
    """A failed stack's outputs: none (moto would try to create the failed resource again)."""

    @property
    def exports(self) -> list:
        return []


_installed = False


def apply() -> None:
    """Resource failures become stack events and states; CloudFormation answers as itself.

    Installed when the server first serves CloudFormation: importing moto's CloudFormation
    imports every service moto has (about 6 s on a 2-core machine), which no other notebook pays.
    """
    from moto import backends

    original = backends.get_backend

    def get_backend(name: str) -> Any:
        found = original(name)
        if name == "cloudformation":
            _install()
        return found

    backends.get_backend = get_backend


def _install() -> None:
    global _installed, models
    if _installed:
        return
    _installed = True
    from moto.cloudformation import models as cfn_models
    from moto.cloudformation import parsing, responses

    models = cfn_models
    parsing.parse_and_create_resource = _failing_as_resource(parsing.parse_and_create_resource)
    parsing.parse_and_update_resource = _restoring_on_failure(
        _failing_as_resource(parsing.parse_and_update_resource)
    )
    models.Stack.create_resources = _create_resources(models.Stack.create_resources)
    models.Stack.update = _update(models.Stack.update)
    responses.CloudFormationResponse.create_stack = _remembering_on_failure(
        responses.CloudFormationResponse.create_stack
    )


def _failing_as_resource(original: Callable) -> Callable:
    def parse(logical_id: str, resource_json: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return original(logical_id, resource_json, *args, **kwargs)
        except ResourceFailed:
            raise  # a resource it refers to failed first
        except Exception as error:
            raise ResourceFailed(logical_id, resource_json.get("Type", ""), error) from error

    return parse


def _restoring_on_failure(update: Callable) -> Callable:
    """A resource whose update fails is left as it was (moto changes some settings first)."""

    def parse(logical_id: str, resource_json: dict[str, Any], resources_map: Any, *args: Any,
              **kwargs: Any) -> Any:  # fmt: skip
        resource = resources_map._parsed_resources.get(logical_id)
        before = dict(vars(resource)) if hasattr(resource, "__dict__") else None
        try:
            return update(logical_id, resource_json, resources_map, *args, **kwargs)
        except ResourceFailed:
            if before is not None:
                vars(resource).clear()
                vars(resource).update(before)
            raise

    return parse


def _remembering_on_failure(original: Callable) -> Callable:
    def create_stack(self: Any) -> Any:
        on_failure = self._get_param("OnFailure")
        if on_failure is None and self._get_bool_param("DisableRollback", False):
            on_failure = "DO_NOTHING"
        _request.on_failure = on_failure or "ROLLBACK"
        try:
            return original(self)
        finally:
            _request.on_failure = "ROLLBACK"

    return create_stack


def _event(stack: Any, logical_id: str, resource_type: str, status: str, reason: str = "") -> None:
    stack.events.append(
        models.Event(
            stack_id=stack.stack_id,
            stack_name=stack.name,
            logical_resource_id=logical_id,
            physical_resource_id="",
            resource_type=resource_type,
            resource_status=status,
            resource_status_reason=reason or None,
            resource_properties=None,
        )
    )


def _create_resources(original: Callable) -> Callable:
    def create_resources(self: Any) -> None:
        try:
            original(self)
        except ResourceFailed as failure:
            _fail_creation(self, failure, getattr(_request, "on_failure", "ROLLBACK"))

    return create_resources


def _fail_creation(stack: Any, failure: ResourceFailed, on_failure: str) -> None:
    resources = stack.resource_map
    _event(stack, failure.logical_id, failure.resource_type, "CREATE_FAILED", failure.reason())
    why = f"The following resource(s) failed to create: [{failure.logical_id}]. "
    stack.output_map = _NoOutputs()
    created = dict(resources._parsed_resources)
    # Nothing left to create later (describe_stack_resources, outputs): only what exists.
    resources._resource_json_map = {
        name: body for name, body in resources._resource_json_map.items() if name in created
    }
    if on_failure == "DO_NOTHING":
        stack.status = "CREATE_FAILED"
        stack._add_stack_event("CREATE_FAILED", resource_status_reason=why)
        return
    stack.status = "ROLLBACK_IN_PROGRESS"
    stack._add_stack_event(
        "ROLLBACK_IN_PROGRESS", resource_status_reason=why + "Rollback requested by user."
    )
    for name, body in resources._resource_json_map.items():
        _event(stack, name, body.get("Type", ""), "DELETE_IN_PROGRESS")
    try:
        resources.delete()
    except Exception:  # what can't be deleted stays, as a failed rollback leaves it
        pass
    for name, body in resources._resource_json_map.items():
        _event(stack, name, body.get("Type", ""), "DELETE_COMPLETE")
    _event(stack, failure.logical_id, failure.resource_type, "DELETE_COMPLETE")
    resources._resource_json_map = {}
    stack.status = "ROLLBACK_COMPLETE"
    stack._add_stack_event("ROLLBACK_COMPLETE")
    if on_failure == "DELETE":
        backend = models.cloudformation_backends[stack.account_id][stack.region_name]
        backend.stacks.pop(stack.stack_id, None)
        backend.deleted_stacks[stack.stack_id] = stack
        stack.status = "DELETE_COMPLETE"
        stack._add_stack_event("DELETE_COMPLETE")


def _update(original: Callable) -> Callable:
    def update(self: Any, template: str, *args: Any, **kwargs: Any) -> None:
        previous = (self.template, self.status)
        try:
            original(self, template, *args, **kwargs)
        except ResourceFailed as failure:
            _event(
                self, failure.logical_id, failure.resource_type, "UPDATE_FAILED", failure.reason()
            )
            why = f"The following resource(s) failed to update: [{failure.logical_id}]. "
            self._add_stack_event("UPDATE_ROLLBACK_IN_PROGRESS", resource_status_reason=why)
            self.template, _ = previous
            self._parse_template()
            self.resource_map._template = self.template_dict
            self.resource_map._resource_json_map = self.template_dict["Resources"]
            self.output_map = self._create_output_map()
            self.status = "UPDATE_ROLLBACK_COMPLETE"
            self._add_stack_event("UPDATE_ROLLBACK_COMPLETE")

    return update

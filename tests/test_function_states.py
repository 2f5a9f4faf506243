"""Function states as on AWS: Pending after create, InProgress after an update, and what fails
meanwhile (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html).

The control plane's clock is moved by the tests (`Clock`), so no verdict depends on how fast
the machine is: a state lasts until the test moves past it.
"""

from __future__ import annotations

import json
import time

import pytest
from botocore.exceptions import ClientError

from helpers import exercises
from helpers.patches import function_states

DELAY = 30.0  # seconds of the control plane's clock: nothing ends a state but `Clock.advance`


def _source(answer: str) -> str:
    return f"def handler(event, context):\n    return {answer!r}\n"


class Clock:
    """The control plane's clock: real time plus however far a test moved it."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        return time.monotonic() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    moved = Clock()
    monkeypatch.setattr(function_states, "_now", moved.now)
    monkeypatch.setattr(function_states, "_sleep", moved.advance)
    return moved


@pytest.fixture
def slow(fresh, clock):
    fresh.configure(control_plane_delay=DELAY)
    yield fresh
    fresh.configure(control_plane_delay=0)


def _answer(lam, name: str, **extra) -> str:
    return json.load(lam.invoke(FunctionName=name, **extra)["Payload"])


def _conflict(call) -> str:
    with pytest.raises(ClientError) as caught:
        call()
    assert caught.value.response["Error"]["Code"] == "ResourceConflictException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409  # as on AWS
    return caught.value.response["Error"]["Message"]


def test_a_new_function_is_pending_and_refuses_invokes_updates_and_publishes(
    slow, clock, lam, deploy
):
    created = deploy("fresh-fn", _source("v1"))
    assert (created["State"], created["StateReasonCode"]) == ("Pending", "Creating")
    assert lam.get_function(FunctionName="fresh-fn")["Configuration"]["State"] == "Pending"
    message = _conflict(lambda: lam.invoke(FunctionName="fresh-fn"))
    assert message.endswith("The function is currently in the following state: Pending")
    message = _conflict(
        lambda: lam.update_function_configuration(FunctionName="fresh-fn", Timeout=9)
    )
    assert "is currently in the following state: 'Pending'" in message
    _conflict(lambda: lam.publish_version(FunctionName="fresh-fn"))

    clock.advance(DELAY)
    lam.get_waiter("function_active_v2").wait(FunctionName="fresh-fn")
    config = lam.get_function_configuration(FunctionName="fresh-fn")
    assert (config["State"], config["LastUpdateStatus"]) == ("Active", "Successful")
    assert "StateReasonCode" not in config
    assert config["Timeout"] == 3  # the refused update changed nothing
    assert _answer(lam, "fresh-fn") == "v1"


def test_an_update_in_progress_serves_the_old_code_and_refuses_another_update(
    slow, clock, lam, deploy
):
    from helpers.packaging import zip_bytes

    deploy("busy-fn", _source("v1"))
    clock.advance(DELAY)
    updated = lam.update_function_code(
        FunctionName="busy-fn", ZipFile=zip_bytes({"app.py": _source("v2")})
    )
    assert (updated["State"], updated["LastUpdateStatus"]) == ("Active", "InProgress")
    assert _answer(lam, "busy-fn") == "v1"  # invokes go to the previous code meanwhile
    message = _conflict(
        lambda: lam.update_function_configuration(FunctionName="busy-fn", Timeout=9)
    )
    assert message.endswith(f"An update is in progress for resource: {updated['FunctionArn']}")
    _conflict(lambda: lam.publish_version(FunctionName="busy-fn"))

    clock.advance(DELAY)
    lam.get_waiter("function_updated_v2").wait(FunctionName="busy-fn")
    assert _answer(lam, "busy-fn") == "v2"
    version = lam.publish_version(FunctionName="busy-fn")["Version"]
    assert _answer(lam, "busy-fn", Qualifier=version) == "v2"


def test_update_with_publish_gives_a_version_of_the_new_code(slow, clock, lam, deploy):
    from helpers.packaging import zip_bytes

    deploy("pub-fn", _source("v1"))
    clock.advance(DELAY)
    version = lam.update_function_code(
        FunctionName="pub-fn", ZipFile=zip_bytes({"app.py": _source("v2")}), Publish=True
    )
    assert _answer(lam, "pub-fn", Qualifier=version["Version"]) == "v2"
    state = lam.get_function_configuration(FunctionName="pub-fn", Qualifier=version["Version"])
    assert state["State"] == "Active"


def test_a_refused_update_leaves_no_update_in_progress(slow, clock, lam, deploy):
    deploy("refused-fn", _source("v1"))
    clock.advance(DELAY)
    with pytest.raises(ClientError):
        lam.update_function_configuration(FunctionName="refused-fn", MemorySize=10_241)
    config = lam.get_function_configuration(FunctionName="refused-fn")
    assert config["LastUpdateStatus"] == "Successful"
    lam.update_function_configuration(FunctionName="refused-fn", Timeout=9)  # not refused


def test_an_instant_control_plane_has_no_pending_state(fresh, lam, deploy):
    assert deploy("instant-fn", _source("v1"))["State"] == "Active"
    assert _answer(lam, "instant-fn") == "v1"


def test_a_check_gives_a_function_made_without_a_waiter_the_moment_aws_would(slow, lam, deploy):
    # A learner who forgets the waiter and checks at once: on AWS the check would come seconds
    # later, so the check waits for the function to be Active rather than blame the answer.
    deploy(
        "greeter",
        "def handler(event, context):\n    return {'greeting': f\"Hello, {event['name']}!\"}\n",
    )
    assert function_states.state(_latest("greeter")) is function_states.FunctionState.PENDING
    result = exercises.ALL["01"].q1.check()
    assert result.passed, result.message
    assert function_states.delay_s == DELAY  # the check's instant control plane was put back
    assert function_states.state(_latest("greeter")) is function_states.FunctionState.ACTIVE


def _latest(name: str):
    from moto.awslambda.models import lambda_backends

    return lambda_backends["123456789012"]["us-east-1"].get_function(name)


def test_waiters_ask_the_local_aws_often_but_keep_a_delay_you_set(
    fresh, clock, lam, deploy, monkeypatch
):
    from botocore import waiter as botocore_waiter

    slept: list[float] = []

    class WaiterClock:  # the waiter's sleeps move the control plane's clock, not real time
        @staticmethod
        def sleep(seconds: float) -> None:
            slept.append(seconds)
            clock.advance(seconds)

    monkeypatch.setattr(botocore_waiter, "time", WaiterClock)
    fresh.configure(control_plane_delay=0.35)
    try:
        deploy("polled", _source("v1"))
        lam.get_waiter("function_active_v2").wait(FunctionName="polled")
        assert slept and set(slept) == {0.1}  # kit-only: every 0.1 s rather than every 1 s
        slept.clear()
        deploy("patient", _source("v1"))
        lam.get_waiter("function_active_v2").wait(FunctionName="patient", WaiterConfig={"Delay": 1})
        assert slept == [1]  # the caller's own Delay is kept
    finally:
        fresh.configure(control_plane_delay=0)


def test_advancing_the_kit_clock_ends_pending_and_updates_as_time_passing_would(slow, lam, deploy):
    # Learner trial 8 (K D3): minutes on the kit's clock between calls, no waiter; on AWS the
    # quarter of a second would have passed long before.
    from helpers.packaging import zip_bytes

    deploy("ticker", _source("v1"))
    assert function_states.state(_latest("ticker")) is function_states.FunctionState.PENDING
    slow.advance_clock(minutes=5)
    assert _answer(lam, "ticker") == "v1"
    lam.update_function_code(FunctionName="ticker", ZipFile=zip_bytes({"app.py": _source("v2")}))
    assert (
        function_states.update_status(_latest("ticker")) is function_states.UpdateStatus.IN_PROGRESS
    )
    slow.advance_clock(minutes=5)
    assert _answer(lam, "ticker") == "v2"

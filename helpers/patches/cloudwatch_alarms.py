"""CloudWatch metric alarms evaluated on the kit's clock, with their history and SNS actions.

moto stores an alarm (in state OK) and never looks at its metric again. On AWS an alarm starts in
`INSUFFICIENT_DATA` and is evaluated every period
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html, as of
2026-12):

- the statistic (`Sum`, `Average`, ..., or a percentile such as `p99`) of each of the last
  `EvaluationPeriods` periods is compared with `Threshold`; `DatapointsToAlarm` breaching ones
  ("M out of N") put it in `ALARM`, fewer put it back in `OK`;
- a period without data counts as `TreatMissingData` says: `notBreaching` (good), `breaching`
  (bad), `ignore` (the state stays), or `missing` (the default: if no period has data, the alarm
  goes to `INSUFFICIENT_DATA`)
  (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html);
- each change of state is in `DescribeAlarmHistory` ("Alarm updated from OK to ALARM"), with the
  reason AWS writes ("Threshold Crossed: 1 out of the last 1 datapoints [2.0 (07/12/26
  01:30:00)] was greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK ->
  ALARM transition).");
- and runs the new state's actions: an SNS topic gets AWS's JSON notification, with the subject
  `ALARM: "<name>" in <Region>`, and passes it to its subscribers (SQS, Lambda, ...). So does
  `SetAlarmState`.

An alarm on the kit's clock: `aws.advance_clock(minutes=5)` evaluates the five periods that pass.
Not modelled: metric math alarms, anomaly bands, composite alarms, and actions other than SNS.
"""

from __future__ import annotations

import json
import threading
import warnings
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from moto.cloudwatch import models as cw_models
from moto.cloudwatch import responses as cw_responses
from moto.core.responses import ActionResult

from .cloudwatch_metrics import _same_dimensions, _statistic

if TYPE_CHECKING:
    from ..runtime.service import Runtime

runtime_getter: Callable[[], Runtime | None] = lambda: None  # noqa: E731

OK, ALARM, INSUFFICIENT = "OK", "ALARM", "INSUFFICIENT_DATA"
_WORDS = {
    "GreaterThanOrEqualToThreshold": ("greater than or equal to", lambda v, t: v >= t),
    "GreaterThanThreshold": ("greater than", lambda v, t: v > t),
    "LessThanThreshold": ("less than", lambda v, t: v < t),
    "LessThanOrEqualToThreshold": ("less than or equal to", lambda v, t: v <= t),
}
# The Region's name in an alarm notification's subject and Region field.
_REGION_NAMES = {
    "us-east-1": "US East (N. Virginia)",
    "us-east-2": "US East (Ohio)",
    "us-west-1": "US West (N. California)",
    "us-west-2": "US West (Oregon)",
    "eu-west-1": "EU (Ireland)",
    "eu-central-1": "EU (Frankfurt)",
    "ap-southeast-2": "Asia Pacific (Sydney)",
    "ap-northeast-1": "Asia Pacific (Tokyo)",
}
MAX_EVALUATIONS_PER_TICK = 1440  # a day of one-minute periods in one advance of the clock
_lock = threading.RLock()
_wake = threading.Event()


def apply(runtime: Callable[[], Runtime | None]) -> None:
    """Alarms start in INSUFFICIENT_DATA, are evaluated on the kit's clock, and keep history."""
    global runtime_getter
    runtime_getter = runtime
    backend = cw_models.CloudWatchBackend
    backend.put_metric_alarm = _created(backend.put_metric_alarm)
    backend.set_alarm_state = _set_by_hand(backend.set_alarm_state)
    backend.put_metric_data = _stamped(backend.put_metric_data)
    cw_responses.CloudWatchResponse.describe_alarm_history = describe_alarm_history
    threading.Thread(target=_loop, name="kit-alarms", daemon=True).start()


# ------------------------------------------------------------------------------ evaluation
def _now() -> datetime:
    """The kit's clock as moto's naive UTC (real time when no kit runs)."""
    runtime = runtime_getter()
    moment = runtime.clock.now() if runtime is not None else datetime.now(UTC)
    return moment.replace(tzinfo=None)


def _boundary(moment: datetime, period: int) -> datetime:
    """The start of the period `moment` falls in (periods are aligned to the epoch)."""
    seconds = int(moment.replace(tzinfo=UTC).timestamp()) // period * period
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)


def _created(original: Callable) -> Callable:
    def put_metric_alarm(self: Any, *args: Any, **kwargs: Any) -> Any:
        with _lock:
            old = self.alarms.get(kwargs.get("name") or (args[0] if args else ""))
            alarm = original(self, *args, **kwargs)
            if old is not None and old is not alarm:  # an update keeps state and history
                alarm.state_value, alarm.state_reason = old.state_value, old.state_reason
                alarm.state_reason_data = old.state_reason_data
                alarm.kit_history = getattr(old, "kit_history", [])
            else:
                alarm.state_value = INSUFFICIENT
                alarm.state_reason = "Unchecked: Initial alarm creation"
                alarm.kit_history = []
            alarm.kit_account = self.account_id
            # The latest complete period is evaluated at once, the others as they end.
            period = max(int(alarm.period or 60), 10)
            alarm.kit_evaluated = _boundary(_now(), period) - timedelta(seconds=period)
            if alarm.comparison_operator in _WORDS and not getattr(alarm, "rule", None):
                _catch_up(self, alarm, _now())  # now, so that what the caller reads next is set
        _listen()
        return alarm

    return put_metric_alarm


def _stamped(original: Callable) -> Callable:
    def put_metric_data(self: Any, *args: Any, **kwargs: Any) -> Any:
        """PutMetricData's points remember the kit clock's offset when they arrived."""
        before = len(self.metric_data)
        result = original(self, *args, **kwargs)
        runtime = runtime_getter()
        offset = runtime.clock.offset if runtime is not None else 0.0
        for datum in self.metric_data[before:]:
            datum.kit_offset = offset
        return result

    return put_metric_data


def _on_the_kit_clock(backend: Any, alarm: Any, start: datetime, end: datetime) -> list[Any]:
    """The alarm's metric's points that happened in [start, end) on the kit's clock."""
    dimensions = [{"Name": d.name, "Value": d.value} for d in alarm.dimensions]
    return [
        datum
        for datum in backend.get_all_metrics()
        if datum.namespace == alarm.namespace
        and datum.name == alarm.metric_name
        and (not alarm.unit or datum.unit == alarm.unit)
        and start <= datum.timestamp + timedelta(seconds=getattr(datum, "kit_offset", 0.0)) < end
        and _same_dimensions(datum, dimensions)
    ]


def _set_by_hand(original: Callable) -> Callable:
    def set_alarm_state(self: Any, name: str, reason: str, reason_data: str, state: str) -> None:
        with _lock:
            alarm = self.alarms.get(name)
            old = alarm.state_value if alarm is not None else None
            original(self, name, reason, reason_data, state)
            if alarm is not None and old != state:
                _changed(self, alarm, old, reason, reason_data, _now())

    return set_alarm_state


def _loop() -> None:
    while True:
        _wake.wait(1.0)
        _wake.clear()
        try:
            tick()
        except Exception as exc:  # the alarm thread must outlive one bad alarm
            warnings.warn(f"the kit's alarm evaluation failed: {exc!r}", stacklevel=1)


def tick() -> None:
    """Evaluate every alarm for each of its periods that ended on the kit's clock."""
    runtime = runtime_getter()
    if runtime is None:
        return
    _listen()
    now = _now()
    with _lock:
        for backend in _backends():
            for alarm in list(backend.alarms.values()):
                if getattr(alarm, "rule", None) or alarm.comparison_operator not in _WORDS:
                    continue  # composite, metric math or anomaly band: not evaluated
                _catch_up(backend, alarm, now)


def _listen() -> None:
    """Evaluate in `advance_clock` itself: what a notebook reads next already holds the change."""
    runtime = runtime_getter()
    if runtime is not None and not getattr(runtime.clock, "kit_alarms_listening", False):
        runtime.clock.on_advance(tick)
        runtime.clock.kit_alarms_listening = True


def _backends() -> list[Any]:
    found = []
    for regions in cw_models.cloudwatch_backends.values():
        found.extend(regions.values())
    return found


def _catch_up(backend: Any, alarm: Any, now: datetime) -> None:
    period = max(int(alarm.period or 60), 10)
    step = timedelta(seconds=period)
    last = getattr(alarm, "kit_evaluated", None)
    if last is None:
        return
    ends = _boundary(now, period)
    evaluations = 0
    while last + step <= ends and evaluations < MAX_EVALUATIONS_PER_TICK:
        last += step
        evaluations += 1
        _evaluate(backend, alarm, last, now)
    alarm.kit_evaluated = max(last, ends - step) if evaluations else last


def _evaluate(backend: Any, alarm: Any, end: datetime, now: datetime) -> None:
    """Evaluate the N periods that end at `end`; change the state if the data says so."""
    period, n = int(alarm.period), int(alarm.evaluation_periods or 1)
    m = int(alarm.datapoints_to_alarm or n)
    stat = alarm.extended_statistic or alarm.statistic
    step = timedelta(seconds=period)
    values: list[tuple[datetime, float | None]] = []
    for k in range(n, 0, -1):
        start = end - k * step
        points = _on_the_kit_clock(backend, alarm, start, start + step)
        values.append((start, _statistic(points, stat) if points else None))
    words, breaches = _WORDS[alarm.comparison_operator]
    treat = alarm.treat_missing_data or "missing"
    present = [(t, v) for t, v in values if v is not None]
    if not present and treat in ("missing", "ignore"):
        if treat == "ignore":
            return
        new = INSUFFICIENT
        reason = f"Insufficient Data: {n} datapoint{'s were' if n > 1 else ' was'} unknown."
    else:
        bad = sum(1 for _, v in present if breaches(v, alarm.threshold))
        if treat == "breaching":
            bad += n - len(present)
        new = ALARM if bad >= m else OK
        shown = ", ".join(f"{v} ({t:%d/%m/%y %H:%M:%S})" for t, v in reversed(present))
        if new == ALARM:
            verdict = f"was {words}"
            transition = f"minimum {m} datapoint{'s' if m > 1 else ''} for OK -> ALARM transition"
            count = f"{bad} out of the last {n}"
        else:
            verdict = f"was not {words}"
            transition = f"minimum {m} datapoint{'s' if m > 1 else ''} for ALARM -> OK transition"
            count = f"{len(present) - bad if present else 0} out of the last {n}"
        reason = (
            f"Threshold Crossed: {count} datapoints [{shown}] {verdict} the threshold "
            f"({float(alarm.threshold)}) ({transition})."
        )
    if new == alarm.state_value:
        return
    data = {
        "version": "1.0",
        "queryDate": _iso(now),
        "startDate": _iso(end - n * step),
        "statistic": stat,
        "period": period,
        "recentDatapoints": [v for _, v in present],
        "threshold": float(alarm.threshold),
        "evaluatedDatapoints": [{"timestamp": _iso(t), "value": v} for t, v in reversed(present)],
    }
    old = alarm.state_value
    alarm.update_state(reason, json.dumps(data), new)
    alarm.state_updated_timestamp = now
    _changed(backend, alarm, old, reason, json.dumps(data), now)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"


# ------------------------------------------------------------------------- history and actions
def _changed(
    backend: Any, alarm: Any, old: str | None, reason: str, data: Any, now: datetime
) -> None:
    new = alarm.state_value
    history = alarm.__dict__.setdefault("kit_history", [])
    history.append(
        {
            "AlarmName": alarm.name,
            "AlarmType": "MetricAlarm",
            "Timestamp": now.replace(tzinfo=UTC),
            "HistoryItemType": "StateUpdate",
            "HistorySummary": f"Alarm updated from {old} to {new}",
            "HistoryData": json.dumps(
                {
                    "version": "1.0",
                    "oldState": {"stateValue": old},
                    "newState": {"stateValue": new, "stateReason": reason},
                }
            ),
        }
    )
    if not alarm.actions_enabled:
        return
    actions = {
        ALARM: alarm.alarm_actions,
        OK: alarm.ok_actions,
        INSUFFICIENT: alarm.insufficient_data_actions,
    }
    for arn in actions.get(new) or []:
        summary = f"Successfully executed action {arn}"
        try:
            _notify(backend, alarm, arn, old, reason, now)
        except Exception as exc:
            summary = f"Failed to execute action {arn}. Received error: {exc}"
        history.append(
            {
                "AlarmName": alarm.name,
                "AlarmType": "MetricAlarm",
                "Timestamp": now.replace(tzinfo=UTC),
                "HistoryItemType": "Action",
                "HistorySummary": summary,
                "HistoryData": json.dumps(
                    {"actionState": "Succeeded", "notificationResource": arn}
                ),
            }
        )


def _notify(
    backend: Any, alarm: Any, arn: str, old: str | None, reason: str, now: datetime
) -> None:
    """Publish AWS's alarm notification to an SNS topic (other actions are not run)."""
    if not arn.startswith("arn:aws:sns:"):
        raise ValueError("the kit runs SNS actions only")
    from moto.sns.models import sns_backends

    _, _, _, region, account, _ = arn.split(":", 5)
    region_name = _REGION_NAMES.get(backend.region_name, backend.region_name)
    message = {
        "AlarmName": alarm.name,
        "AlarmDescription": alarm.description or None,
        "AWSAccountId": backend.account_id,
        "AlarmConfigurationUpdatedTimestamp": _iso(alarm.configuration_updated_timestamp),
        "NewStateValue": alarm.state_value,
        "NewStateReason": reason,
        "StateChangeTime": _iso(now),
        "Region": region_name,
        "AlarmArn": alarm.alarm_arn,
        "OldStateValue": old,
        "OKActions": alarm.ok_actions,
        "AlarmActions": alarm.alarm_actions,
        "InsufficientDataActions": alarm.insufficient_data_actions,
        "Trigger": {
            "MetricName": alarm.metric_name,
            "Namespace": alarm.namespace,
            "StatisticType": "ExtendedStatistic" if alarm.extended_statistic else "Statistic",
            "Statistic": (alarm.extended_statistic or alarm.statistic or "").upper(),
            "Unit": alarm.unit,
            "Dimensions": [{"value": d.value, "name": d.name} for d in alarm.dimensions],
            "Period": int(alarm.period),
            "EvaluationPeriods": int(alarm.evaluation_periods),
            "DatapointsToAlarm": int(alarm.datapoints_to_alarm or alarm.evaluation_periods),
            "ComparisonOperator": alarm.comparison_operator,
            "Threshold": float(alarm.threshold),
            "TreatMissingData": alarm.treat_missing_data or "missing",
            "EvaluateLowSampleCountPercentile": alarm.evaluate_low_sample_count_percentile or "",
        },
    }
    subject = f'{alarm.state_value}: "{alarm.name}" in {region_name}'[:100]
    sns_backends[account][region].publish(json.dumps(message), arn=arn, subject=subject)


def describe_alarm_history(self: Any) -> ActionResult:
    """DescribeAlarmHistory: the state changes and actions of the kit's alarms, newest first."""
    name = self._get_param("AlarmName")
    kind = self._get_param("HistoryItemType")
    start, end = self._get_param("StartDate"), self._get_param("EndDate")
    newest_first = (self._get_param("ScanBy") or "TimestampDescending") == "TimestampDescending"
    limit = int(self._get_param("MaxRecords") or 100)
    items = [
        item
        for alarm in self.cloudwatch_backend.alarms.values()
        if not name or alarm.name == name
        for item in getattr(alarm, "kit_history", [])
        if (not kind or item["HistoryItemType"] == kind)
        and (not start or item["Timestamp"] >= _aware(start))
        and (not end or item["Timestamp"] <= _aware(end))
    ]
    items.sort(key=lambda item: item["Timestamp"], reverse=newest_first)
    return ActionResult({"AlarmHistoryItems": items[:limit]})


def _aware(moment: Any) -> datetime:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

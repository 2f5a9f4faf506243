"""Event sources: what fires a function besides the Invoke API.

The async invocation queue, SQS and stream pollers, EventBridge rules and schedules, the
CloudWatch Logs subscription filter, and the HTTP front doors (API Gateway, function URLs).
It may import `helpers.runtime` (it runs functions there), `helpers.limits` and `helpers.access`;
never `helpers.patches` or `helpers.exercises`. `helpers.cloud` makes the async queue, the
mappings and the timers, and hands them to the runtime.
"""

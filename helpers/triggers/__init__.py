"""Event sources: what fires a function besides the Invoke API.

The async invocation queue, SQS and stream pollers, EventBridge rules and schedules, the
CloudWatch Logs subscription filter, and the HTTP front doors (API Gateway, function URLs).
"""

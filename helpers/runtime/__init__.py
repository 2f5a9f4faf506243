"""The Lambda runtime: execution environments that run the deployed Python handlers.

It holds the environments and their worker processes, invoke (`service`), logs, concurrency,
provisioned concurrency, layers and the kit's clock. It may import `helpers.limits` and
`helpers.access`, never `helpers.triggers`, `helpers.patches` or `helpers.exercises`: what fires
functions is made by `helpers.cloud` and handed to `service.Runtime.attach`.
"""

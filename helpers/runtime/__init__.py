"""The Lambda runtime: execution environments that run the deployed Python handlers."""

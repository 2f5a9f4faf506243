def lambda_handler(event, context):
    greeting = f"Hello, {event['name']}!"
    print(greeting)  # stdout goes to the function's log group in CloudWatch Logs
    return {"greeting": greeting}

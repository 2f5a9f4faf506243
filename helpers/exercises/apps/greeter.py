def lambda_handler(event, context):
    greeting = f"Hello, {event['name']}!"
    return {"greeting": greeting}

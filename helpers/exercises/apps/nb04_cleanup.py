def handler(event, context):
    print("cleaning up for", event["time"])

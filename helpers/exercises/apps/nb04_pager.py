def handler(event, context):
    for record in event["Records"]:
        print("PAGE", record["Sns"]["Message"])

def handler(event, context):
    failures = []
    for record in event["Records"]:
        if record["body"] == "bad":
            failures.append({"itemIdentifier": record["messageId"]})
        else:
            print("processed", record["body"])
    return {"batchItemFailures": failures}

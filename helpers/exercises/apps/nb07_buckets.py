import boto3

s3 = boto3.client("s3")  # Init: once per execution environment


def handler(event, context):
    return {"count": len(s3.list_buckets()["Buckets"])}

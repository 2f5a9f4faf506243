import csv
import io
import json
import os
import urllib.parse

import boto3

s3 = boto3.client("s3")


def handler(event, context):
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = urllib.parse.unquote_plus(record["s3"]["object"]["key"])  # S3 URL-encodes keys
        text = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8")
        rows = list(csv.DictReader(io.StringIO(text)))
        name = os.path.splitext(os.path.basename(key))[0]
        s3.put_object(Bucket=bucket, Key=f"processed/{name}.json", Body=json.dumps(rows))

"""Notebook 00, q1: a bucket named hello-lambda-kit."""

from tests.catalogue import Answers, Wrong

ANSWERS = {
    "q1": Answers(
        wrong={
            "nothing-created": Wrong("import boto3\nboto3.client('s3')", "no bucket named"),
            "shorter-name": Wrong(
                "import boto3\nboto3.client('s3').create_bucket(Bucket='hello-lambda')",
                "`hello-lambda`",
                "spelling",
            ),
            # (A name with underscores or capitals never gets here: S3 refuses it with
            # InvalidBucketName, as AWS does; tests/test_lambda_validation.py.)
            "hyphen-missing": Wrong(
                "import boto3\nboto3.client('s3').create_bucket(Bucket='hello-lambdakit')",
                "`hello-lambdakit`",
                "spelling",
            ),
            # Learner trial 11 (AW4): the endpoint's host name as the bucket's name; the message
            # spoke of spelling. It names the host name now.
            "endpoint-host-as-name": Wrong(
                "import boto3\nboto3.client('s3').create_bucket("
                "Bucket='hello-lambda-kit.s3.amazonaws.com')",
                "host name of a bucket's endpoint",
                "`hello-lambda-kit` alone",
            ),
            # Learner trial 13 (MW3): a client of cn-north-1 made the bucket in another
            # partition; the check said there was none. It names the partition now.
            "bucket-in-the-china-partition": Wrong(
                "import boto3\nboto3.client('s3', region_name='cn-north-1').create_bucket("
                "Bucket='hello-lambda-kit',\n"
                "    CreateBucketConfiguration={'LocationConstraint': 'cn-north-1'})",
                "no bucket named",
                "in the partition `aws-cn`",
            ),
            # Learner trial 13 (MW2): an S3 Tables table bucket of the task's name.
            "table-bucket-not-a-bucket": Wrong(
                "import boto3\n"
                "boto3.client('s3tables').create_table_bucket(name='hello-lambda-kit')",
                "no bucket named",
                "S3 Tables table bucket",
            ),
            "a-queue-not-a-bucket": Wrong(
                "import boto3\nboto3.client('sqs').create_queue(QueueName='hello-lambda-kit')",
                "no bucket named",
            ),
            "created-then-deleted": Wrong(
                "import boto3\ns3 = boto3.client('s3')\n"
                "s3.create_bucket(Bucket='hello-lambda-kit')\n"
                "s3.delete_bucket(Bucket='hello-lambda-kit')",
                "no bucket named",
            ),
            "other-bucket-only": Wrong(
                "import boto3\nboto3.client('s3').create_bucket(Bucket='my-first-bucket')",
                "found: `my-first-bucket`",
            ),
            # Learner trial 10 (UW1): a key `hello-lambda-kit/` put in another bucket; the
            # message now says it is a key, not a bucket.
            "a-key-not-a-bucket": Wrong(
                "import boto3\ns3 = boto3.client('s3')\ns3.create_bucket(Bucket='scratch-bucket')\n"
                "s3.put_object(Bucket='scratch-bucket', Key='hello-lambda-kit/')",
                "found: `scratch-bucket`",
                "key `hello-lambda-kit/`",
                "not a bucket",
            ),
        },
        right={
            "resource-api": (
                "import boto3\nboto3.resource('s3').create_bucket(Bucket='hello-lambda-kit')"
            ),
            "session-client-among-others": (
                "import boto3\ns3 = boto3.Session().client('s3')\n"
                "s3.create_bucket(Bucket='scratch')\ns3.create_bucket(Bucket='hello-lambda-kit')"
            ),
        },
        broken="created-then-deleted",
    )
}

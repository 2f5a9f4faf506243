"""Notebook 08a: q1 thumbnailer's MemorySize; q2 `fits`, which payloads go asynchronously."""

from tests.catalogue import Answers, Wrong

# The notebook's `deploy` shortcut and the question's handler, as the answer cell has them.
SETUP = '''
import base64
import json
import re

import boto3
from helpers.exercises.nb08a_limits_of_an_invocation import LARGEST_PHOTO, memory_ladder
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")
role_arn = execution_role()


def deploy(name, source, **settings):
    try:
        lam.delete_function(FunctionName=name)
    except lam.exceptions.ResourceNotFoundException:
        pass
    lam.create_function(FunctionName=name, Runtime="python3.13", Role=role_arn,
                        Handler="app.handler", Code={"ZipFile": zip_bytes({"app.py": source})},
                        **settings)
    lam.get_waiter("function_active_v2").wait(FunctionName=name)


thumbnailer_source = """
def handler(event, context):
    pixels = bytearray(event["width"] * event["height"] * 4)
    pixels[::4096] = b"\\\\xff" * len(pixels[::4096])
    return {"decoded_bytes": len(pixels)}
"""
'''


def thumbnailer(memory: str, source: str = "thumbnailer_source", extra: str = "") -> str:
    return SETUP + f"deploy('thumbnailer', {source}, MemorySize={memory}{extra})\n"


Q1 = Answers(
    wrong={
        # The skeleton as it is.
        "default-128": Wrong(thumbnailer("128"), "ran out of memory at 128 MB"),
        # Sized for the decoded photo alone: the runtime's own memory is forgotten.
        "photo-only": Wrong(
            thumbnailer(
                "min(s for s in memory_ladder() if s >= LARGEST_PHOTO['width'] * "
                "LARGEST_PHOTO['height'] * 4 / 2**20)"
            ),
            "ran out of memory at 256 MB",
            "Python runtime",
        ),
        "too-roomy": Wrong(thumbnailer("1024"), "512 MB would hold it too"),
        # Learner trial 12 (ID4, kit): the role moved by name in the same update as the
        # memory: Lambda refuses the whole update (the Role must be an ARN), so MemorySize
        # stays at 128 MB. It passed: the kit took the update.
        "role-by-name-on-update": Wrong(
            thumbnailer("128")
            + "lam.update_function_configuration(FunctionName='thumbnailer',\n"
            + "    Role='lambda-basic', MemorySize=512)\n",
            "ran out of memory at 128 MB",
            raises="at 'role' failed to satisfy constraint",
        ),
        # Learner trial 12 (ID12, kit): the big photo on disk: an EFS file system's id, not an
        # access point's ARN, or a mount path outside /mnt/: Lambda refuses the create
        # (ValidationException), so there is no `thumbnailer`. Both passed.
        "efs-by-file-system-id": Wrong(
            thumbnailer(
                "512", extra=", FileSystemConfigs=[{'Arn': 'fs-1234', 'LocalMountPath': '/mnt/x'}]"
            ),
            "no function named `thumbnailer`",
            raises="at 'fileSystemConfigs.1.member.arn' failed to satisfy constraint",
        ),
        "efs-mounted-under-tmp": Wrong(
            thumbnailer(
                "512",
                extra=", FileSystemConfigs=[{'Arn': 'arn:aws:elasticfilesystem:us-east-1:"
                "123456789012:access-point/fsap-1234567890abcdef0', 'LocalMountPath': '/tmp/x'}]",
            ),
            "no function named `thumbnailer`",
            raises="at 'fileSystemConfigs.1.member.localMountPath' failed to satisfy constraint",
        ),
        # Learner trial 12 (ID11, kit): the function moved into a VPC in the update that sets
        # the memory, its role without network-interface rights: Lambda refuses the whole
        # update, so MemorySize stays at 128 MB. Subnets alone answered a 500 (a crash).
        "vpc-subnets-without-security-groups-on-update": Wrong(
            thumbnailer("128")
            + "lam.update_function_configuration(FunctionName='thumbnailer',\n"
            + "    VpcConfig={'SubnetIds': ['subnet-1234']}, MemorySize=512)\n",
            "ran out of memory at 128 MB",
            raises="does not have permissions to call CreateNetworkInterface",
        ),
        "vpc-added-on-update-without-eni-rights": Wrong(
            thumbnailer("128")
            + "lam.update_function_configuration(FunctionName='thumbnailer', MemorySize=512,\n"
            + "    VpcConfig={'SubnetIds': ['subnet-0123456789abcdef0'],\n"
            + "               'SecurityGroupIds': ['sg-0123456789abcdef0']})\n",
            "ran out of memory at 128 MB",
            raises="does not have permissions to call CreateNetworkInterface",
        ),
        # Learner trial 12 (ID4, kit): a well-formed ARN of a role that doesn't exist.
        "role-that-does-not-exist-on-update": Wrong(
            thumbnailer("128")
            + "lam.update_function_configuration(FunctionName='thumbnailer',\n"
            + "    Role='arn:aws:iam::123456789012:role/no-such-role', MemorySize=512)\n",
            "ran out of memory at 128 MB",
            raises="cannot be assumed by Lambda",
        ),
        # Learner trial 7: the right size, but a reserved concurrency of 0 left from "pausing"
        # it while measuring: Lambda throttles every invoke (the check used to crash on it).
        "reserved-concurrency-zero-left": Wrong(
            thumbnailer("512")
            + "lam.put_function_concurrency(FunctionName='thumbnailer', "
            + "ReservedConcurrentExecutions=0)\n",
            "reserved concurrency of 0",
            "delete_function_concurrency",
        ),
        "largest": Wrong(thumbnailer("max(memory_ladder())"), "4096 MB would hold it too"),
        "off-the-ladder": Wrong(thumbnailer("300"), "300 MB", "memory_ladder()"),
        # The handler changed to answer without decoding: it fits in 128 MB, but proves nothing.
        "hard-coded-result": Wrong(
            thumbnailer(
                "128",
                source=(
                    "\"def handler(event, context):\\n    return {'decoded_bytes': 230400000}\\n\""
                ),
            ),
            "returned {'decoded_bytes': 230400000}",
        ),
        "does-not-decode": Wrong(
            thumbnailer(
                "128",
                source=(
                    "\"def handler(event, context):\\n    return {'decoded_bytes': "
                    "event['width'] * event['height'] * 4}\\n\""
                ),
            ),
            "no longer decodes",
        ),
        # Learner trial 9 (QD11): "a smaller photo first" through an alias of LARGEST_PHOTO
        # (`photo = LARGEST_PHOTO`), then 256 MB from that measure: the check measured the
        # changed photo and passed it. LARGEST_PHOTO can't be changed in place now (the cell
        # fails, naming a copy), and the check measures its own 8000 × 7200 photo.
        "largest-photo-mutated-through-an-alias": Wrong(
            thumbnailer("256") + "photo = LARGEST_PHOTO\nphoto['width'] = photo['width'] // 2\n",
            "ran out of memory at 256 MB",
            "8000 × 7200",
            raises="make a copy",
        ),
        # Learner trial 9 (QD3): the right size with "quieter logs": SystemLogLevel WARN drops
        # Lambda's platform.report (an INFO record), so no Max Memory Used can be read.
        "system-log-level-warn-hides-the-report": Wrong(
            thumbnailer(
                "512",
                extra=', LoggingConfig={"LogFormat": "JSON", "ApplicationLogLevel": "WARN", '
                '"SystemLogLevel": "WARN"}',
            ),
            "`SystemLogLevel` `WARN`",
            "INFO record",
            "Set `SystemLogLevel` to `INFO`",
        ),
        # Learner trial 11 (CD21): the question's handler changed to keep a copy of the
        # pixels (about 505 MB used), deployed at 1024 MB: it passed, praised as the photo
        # plus the runtime. The task sizes the handler as it is.
        "handler-changed-copies-the-pixels": Wrong(
            thumbnailer(
                "1024",
                source="thumbnailer_source.replace('    return', "
                "'    thumbnail = bytes(pixels)\\n    return')",
            ),
            "its handler keeps more than the photo in memory",
            "Deploy the handler of the question as it is",
        ),
        # Learner trial 10 (WW7): /tmp raised to 1024 MB instead of the memory: the ❌ (out
        # of memory at 128 MB) says now that /tmp is disk, not memory.
        "ephemeral-storage-not-memory": Wrong(
            SETUP + "deploy('thumbnailer', thumbnailer_source, EphemeralStorage={'Size': 1024})\n",
            "ran out of memory at 128 MB",
            "`EphemeralStorage` of 1024 MB is the size of `/tmp`",
        ),
        # Learner trial 10 (WD19): the right 512 MB thumbnailer, made in another Region; the
        # ❌ said "no function named thumbnailer yet", it names the Region now.
        "function-created-in-another-region": Wrong(
            SETUP.replace(
                'lam = boto3.client("lambda")',
                'lam = boto3.client("lambda", region_name="eu-west-1")',
            )
            + "deploy('thumbnailer', thumbnailer_source, MemorySize=512)\n",
            "`thumbnailer` exists in `eu-west-1`",
            "the notebook works in",
        ),
        # Learner trial 13 (OW4): the right function named `Thumbnailer`: the ❌ said "create
        # it", though the learner had; it names the near miss now (names are case-sensitive).
        "name-capitalised": Wrong(
            SETUP + "deploy('Thumbnailer', thumbnailer_source, MemorySize=512)\n",
            "there is `Thumbnailer`",
            "case-sensitive",
        ),
    },
    right={
        # Straight to the size the notebook's figures give, with a longer timeout.
        "straight-to-512": thumbnailer("512", extra=", Timeout=30"),
        # Found by a learner trial: Lambda's JSON log format, whose REPORT is a JSON record.
        "json-log-format": thumbnailer("512", extra=', LoggingConfig={"LogFormat": "JSON"}'),
        # Measured at the largest size, then chosen with its own margin of a fifth.
        "measure-then-update": SETUP
        + """
deploy("thumbnailer", thumbnailer_source, MemorySize=max(memory_ladder()))
response = lam.invoke(FunctionName="thumbnailer", Payload=json.dumps(LARGEST_PHOTO),
                      LogType="Tail")
log = base64.b64decode(response["LogResult"]).decode()
used = int(re.search(r"Max Memory Used: (\\d+)", log)[1])
lam.update_function_configuration(FunctionName="thumbnailer",
                                  MemorySize=next(s for s in memory_ladder() if s > used * 1.2))
lam.get_waiter("function_updated_v2").wait(FunctionName="thumbnailer")
""",
    },
    broken="photo-only",
)


def fits(body: str) -> str:
    return (
        "import json\n"
        "from helpers.exercises.nb08a_limits_of_an_invocation import as_event, attachments\n"
        "from helpers.limits import LIMITS\n"
        "limit = LIMITS['async_payload_bytes_max'].value\n"
        f"def fits(name, data):\n{body}\nanswer = fits\n"
    )


# A `fits` that asks Lambda: the event sent to a function of the learner's, 413 meaning no.
ASKS_LAMBDA = """
import json

import boto3
from botocore.exceptions import ClientError
from helpers.exercises.nb08a_limits_of_an_invocation import as_event
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")
lam.create_function(FunctionName="payloads", Runtime="python3.13", Role=execution_role(),
                    Handler="app.handler", Code={{"ZipFile": zip_bytes(
                        {{"app.py": "def handler(event, context):\\n    return 1\\n"}})}})
lam.get_waiter("function_active_v2").wait(FunctionName="payloads")


def fits(name, data):
    try:
        lam.invoke(FunctionName="payloads", Payload=json.dumps(as_event(name, data)){invocation})
    except ClientError as err:
        if err.response["Error"]["Code"] == "RequestEntityTooLargeException":
            return False
        raise
    return True


answer = fits
"""

Q2 = Answers(
    wrong={
        # Measures the file, not the event that carries it.
        "measures-the-file": Wrong(
            fits("    return len(data) <= limit"),
            "said it fits",
            "RequestEntityTooLargeException",
            "base64",
        ),
        # An event of exactly the limit is accepted.
        "strict-boundary": Wrong(
            fits("    return len(json.dumps(as_event(name, data)).encode()) < limit"),
            "said no, and Lambda accepted it",
            "exactly that size is accepted",
        ),
        # Counts the base64 text alone, not the JSON around it.
        "base64-only": Wrong(
            fits("    import base64\n    return len(base64.b64encode(data)) <= limit"),
            "said it fits",
            "only the base64 text",
        ),
        # Learner trial 12 (ID1): the name and the base64 text counted, not the JSON keys,
        # quotes and separators around them (24 bytes): the ❌ said it measured "the file".
        "json-keys-not-counted": Wrong(
            fits("    import base64\n    return len(name) + len(base64.b64encode(data)) <= limit"),
            "said it fits",
            "not the JSON around them",
            "keys, quotes and separators",
        ),
        # Learner trial 12 (ID1): the event measured without its `name` field.
        "name-field-left-out": Wrong(
            fits(
                "    import base64\n"
                "    return len(json.dumps({'data': base64.b64encode(data).decode()})) <= limit"
            ),
            "said it fits",
            "without the file's `name`",
        ),
        # Learner trial 12 (IW1): base64's size as whole groups only (`len // 3 * 4`): 4 bytes
        # short when the length is not a multiple of 3; the ❌ named `len * 4 / 3` rounded up.
        "base64-groups-rounded-down": Wrong(
            fits(
                "    shell = len(json.dumps({'name': name, 'data': ''}))\n"
                "    return shell + len(data) // 3 * 4 <= limit"
            ),
            "said it fits",
            "not a multiple of 3",
            "`len(data) // 3 * 4`",
        ),
        # Measures the event without JSON's spaces: 2 bytes short of what is sent.
        "compact-json": Wrong(
            fits(
                "    return len(json.dumps(as_event(name, data), separators=(',', ':'))) <= limit"
            ),
            "said it fits",
            "exactly as it is",
        ),
        # The limit before AWS raised it to 1 MB (October 2025).
        "old-256-kb-limit": Wrong(
            fits("    return len(json.dumps(as_event(name, data)).encode()) <= 256 * 1024"),
            "said no, and Lambda accepted it",
        ),
        # The synchronous limit.
        "sync-limit": Wrong(
            fits(
                "    return len(json.dumps(as_event(name, data)).encode()) <= "
                "LIMITS['sync_payload_bytes_max'].value"
            ),
            "said it fits",
            "synchronous",
            "InvocationType='Event'",
        ),
        # Learner trial 7: asks Lambda, but with a synchronous invoke (boto3's default), a 413
        # meaning no: the 6 MB limit, not the asynchronous one.
        "asks-lambda-synchronously": Wrong(
            ASKS_LAMBDA.format(invocation=""), "synchronous", "RequestResponse"
        ),
        # Found by a learner trial: base64's size as ceil(len * 4 / 3), without its "=" padding
        # (4 * ceil(len / 3)): 1-2 bytes short when the length is not a multiple of 3.
        "padding-forgotten": Wrong(
            fits(
                "    import math\n"
                "    shell = len(json.dumps({'name': name, 'data': ''}).encode())\n"
                "    return shell + math.ceil(len(data) * 4 / 3) <= limit"
            ),
            "said it fits",
            "base64 padding",
            "not a multiple of 3",
        ),
        # A learner trial: the event measured unescaped, in characters; `json.dumps` (as the
        # request is sent) writes an accented letter as `\\u00e7`, 6 bytes.
        "ensure-ascii-false-characters": Wrong(
            fits(
                "    text = json.dumps(as_event(name, data), ensure_ascii=False)\n"
                "    return len(text) <= limit"
            ),
            "said it fits",
            "ensure_ascii",
            "bytes of the request as it is sent",
        ),
        # The same, in UTF-8 bytes: 2 bytes for `é`, but the request has 6.
        "ensure-ascii-false-utf8-bytes": Wrong(
            fits(
                "    text = json.dumps(as_event(name, data), ensure_ascii=False)\n"
                "    return len(text.encode('utf-8')) <= limit"
            ),
            "said it fits",
            "ensure_ascii",
            "bytes of the request as it is sent",
        ),
        # Learner trial 9 (QD4): "1 MB = 1,000,000 bytes": the check's files had no event
        # between 10**6 bytes and the limit, and the message blamed measuring the file.
        "decimal-megabyte-limit": Wrong(
            fits("    return len(json.dumps(as_event(name, data)).encode()) <= 1_000_000"),
            "said no, and Lambda accepted it",
            "1 MB as 1,000,000 bytes",
            "1024 × 1024",
        ),
        # Learner trial 9 (QD4): the size of the Python str object, not of the bytes sent.
        "sys-getsizeof": Wrong(
            fits(
                "    import sys\n"
                "    return sys.getsizeof(json.dumps(as_event(name, data))) <= limit"
            ),
            "said no, and Lambda accepted it",
            "`sys.getsizeof`",
        ),
        # Learner trial 9 (QD4): base64 with a newline every 76 characters, which as_event's
        # b64encode doesn't write.
        "encodebytes-newlines": Wrong(
            fits(
                "    import base64\n"
                "    shell = len(json.dumps({'name': name, 'data': ''}).encode())\n"
                "    return shell + len(base64.encodebytes(data)) <= limit"
            ),
            "said no, and Lambda accepted it",
            "`base64.encodebytes` adds a newline",
        ),
        # Learner trial 10 (WD3): the event measured pretty-printed (indent=2, 6 bytes more),
        # with `<=`; the ❌ said "`<=`, not `<`", it names the indent now.
        "indented-json-overcounts": Wrong(
            fits("    return len(json.dumps(as_event(name, data), indent=2).encode()) <= limit"),
            "said no, and Lambda accepted it",
            "pretty-printed",
        ),
        # Learner trial 10 (WD4): "1 MB" as 1024 × 1000 bytes; the ❌ blamed encodebytes.
        "limit-1024-times-1000": Wrong(
            fits("    return len(json.dumps(as_event(name, data)).encode()) <= 1024 * 1000"),
            "said no, and Lambda accepted it",
            "1024 × 1000",
        ),
        # Learner trial 10 (WD18): escapes counted for letters outside ASCII (6 bytes) only:
        # wrong for a backslash or a quote (2 bytes) and an emoji (12), which the check's
        # names now hold.
        "escapes-counted-for-accents-only": Wrong(
            fits(
                "    name_bytes = sum(1 if c.isascii() else 6 for c in name)\n"
                '    shell = len(\'{"name": "", "data": ""}\')\n'
                "    return shell + name_bytes + 4 * ((len(data) + 2) // 3) <= limit"
            ),
            "said it fits",
            "writes some characters of a name as escapes",
        ),
        # Learner trial 11 (CD1): a safety margin of 1 %; the ❌ named `base64.encodebytes`,
        # which agreed on every file. A file 10,700-13,300 bytes under the limit tells them apart.
        "safety-margin-below-the-limit": Wrong(
            fits("    return len(json.dumps(as_event(name, data)).encode()) <= 0.99 * limit"),
            "said no, and Lambda accepted it",
            "it cuts off below the limit",
            "Leave no margin",
        ),
        # Learner trial 11 (CD5): 1 KiB kept "for headers"; the ❌ named `sys.getsizeof`. A file
        # 100-900 bytes under the limit tells them apart.
        "headroom-for-headers": Wrong(
            fits("    return len(json.dumps(as_event(name, data)).encode()) + 1024 <= limit"),
            "said no, and Lambda accepted it",
            "it cuts off below the limit",
            "not the request's headers'",
        ),
        # The answer learnt from attachments(): the check's files are new each time.
        "hard-coded-names": Wrong(
            fits("    return name in {'notes.txt', 'scan.png', 'invoice.pdf'}"), "said no"
        ),
        # Learner trial 13 (OD2): asks Lambda with `invoke_async` (InvokeAsync, deprecated),
        # whose limit is 256 KB: on AWS it says no to every event between 256 KB and 1 MB. It
        # passed, as the local AWS took InvokeAsync events up to 1 MB.
        "asks-with-invoke-async": Wrong(
            ASKS_LAMBDA.replace("lam.invoke(", "lam.invoke_async(")
            .replace("Payload=", "InvokeArgs=")
            .format(invocation=""),
            "`invoke_async`",
            "at most 256 KB",
            "InvocationType='Event'",
        ),
        # Learner trial 13 (OD2): 256 KB (InvokeAsync's limit) as the limit, by arithmetic.
        "invoke-async-limit-256-kb": Wrong(
            fits("    return len(json.dumps(as_event(name, data)).encode()) <= 256 * 1024"),
            "said no, and Lambda accepted it",
            "InvokeAsync",
            "1 MB",
        ),
        # The old form of the answer.
        "a-set-of-names": Wrong(
            "answer = {'notes.txt', 'scan.png', 'invoice.pdf'}\n", "should be a function"
        ),
    },
    right={
        # Arithmetic: 4 characters per 3 bytes (rounded up), plus the JSON around them.
        "arithmetic": fits(
            "    import math\n"
            "    shell = len(json.dumps({'name': name, 'data': ''}).encode())\n"
            "    return shell + 4 * math.ceil(len(data) / 3) <= limit"
        ),
        # The event serialised once, in bytes, compared with the limit written out.
        "bytes-and-mb": fits(
            "    payload = json.dumps(as_event(name, data)).encode('utf-8')\n"
            "    return not len(payload) > 1 * 1024 * 1024"
        ),
        # Asks Lambda the way the task sends: an asynchronous invoke, 413 meaning no.
        "asks-lambda-asynchronously": ASKS_LAMBDA.format(invocation=", InvocationType='Event'"),
        # A learner trial: numpy numbers, so the comparison gives numpy's bool.
        "numpy-bool": fits(
            "    import numpy as np\n"
            "    return np.int64(len(json.dumps(as_event(name, data)).encode())) <= limit"
        ),
    },
    broken="strict-boundary",
)

ANSWERS = {"q1": Q1, "q2": Q2}

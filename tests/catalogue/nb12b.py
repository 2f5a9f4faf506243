"""Notebook 12b: q1 avatars crops uploads to square JPEGs."""

from helpers.exercises.nb12b_use_cases import _AVATARS_SOLUTION
from tests.catalogue import Answers, Wrong

# ------------------------------------------------------------- q1: an avatar maker on S3
AVATARS = '''
import json

import boto3
from helpers.iam import execution_role
from helpers.packaging import site_packages_zip, zip_bytes

lam = boto3.client("lambda")
s3 = boto3.client("s3")
iam = boto3.client("iam")
s3.create_bucket(Bucket="avatars-in")
s3.create_bucket(Bucket="avatars-out")
role_arn = execution_role("avatars-role")
READ = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::avatars-in/*"}
WRITE = {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::avatars-out/*"}
pillow_layer = lam.publish_layer_version(
    LayerName="pillow",
    Content={"ZipFile": zip_bytes(site_packages_zip("pillow", prefix="python/"))},
    CompatibleRuntimes=["python3.13"],
)["LayerVersionArn"]
HEAD = """
import io
from urllib.parse import unquote_plus

import boto3
from PIL import Image, ImageOps

s3 = boto3.client("s3")


def handler(event, context):
    for record in event["Records"]:
        key = unquote_plus(record["s3"]["object"]["key"])
        body = s3.get_object(Bucket=record["s3"]["bucket"]["name"], Key=key)["Body"].read()
        image = Image.open(io.BytesIO(body)).convert("RGB")
"""
TAIL = """
        out = io.BytesIO()
        image.save(out, format="JPEG")
        s3.put_object(Bucket="avatars-out", Key=key.rsplit(".", 1)[0] + ".jpg",
                      Body=out.getvalue())
"""
FIT = "        image = ImageOps.fit(image, (64, 64))\\n"


def deploy(source, statements=(READ, WRITE), layers=True, permit=True,
           events=("s3:ObjectCreated:*",), notify=True, suffix=None):
    for name in iam.list_role_policies(RoleName="avatars-role")["PolicyNames"]:
        iam.delete_role_policy(RoleName="avatars-role", PolicyName=name)
    if statements:
        document = {"Version": "2012-10-17", "Statement": list(statements)}
        iam.put_role_policy(RoleName="avatars-role", PolicyName="avatars",
                            PolicyDocument=json.dumps(document))
    try:
        lam.delete_function(FunctionName="avatars")
    except lam.exceptions.ResourceNotFoundException:
        pass
    arn = lam.create_function(
        FunctionName="avatars", Runtime="python3.13", Role=role_arn, Handler="app.handler",
        Code={"ZipFile": zip_bytes({"app.py": source})}, MemorySize=512, Timeout=10,
        Layers=[pillow_layer] if layers else [])["FunctionArn"]
    lam.get_waiter("function_active_v2").wait(FunctionName="avatars")
    if permit:
        lam.add_permission(FunctionName="avatars", StatementId="s3-avatars-in",
                           Action="lambda:InvokeFunction", Principal="s3.amazonaws.com",
                           **({"SourceArn": "arn:aws:s3:::avatars-in"} if permit != "any" else {}),
                           **({"SourceAccount": "111122223333"} if permit == "other" else {}))
    configs = [{"LambdaFunctionArn": arn, "Events": list(events)}] if notify else []
    if suffix and configs:
        configs[0]["Filter"] = {"Key": {"FilterRules": [{"Name": "suffix", "Value": suffix}]}}
    s3.put_bucket_notification_configuration(
        Bucket="avatars-in", NotificationConfiguration={"LambdaFunctionConfigurations": configs})
'''


def avatars(body: str) -> str:
    return AVATARS + body


ANSWERS = {
    "q1": Answers(
        wrong={
            # First, so that the "wrong, then right" run covers it: the learner's own upload
            # leaves the kit's note about Pillow in the log group, which a check must not read
            # once the layer is there.
            "no-layer-after-an-upload": Wrong(
                avatars(
                    "import time\n"
                    "from PIL import Image\n"
                    "deploy(HEAD + FIT + TAIL, layers=False)\n"
                    "import io as _io\n"
                    "buffer = _io.BytesIO()\n"
                    "Image.new('RGB', (200, 100), (10, 200, 30)).save(buffer, format='PNG')\n"
                    "s3.put_object(Bucket='avatars-in', Key='me.png', Body=buffer.getvalue())\n"
                    "for _ in range(300):  # until the avatar appears\n"
                    "    if s3.list_objects_v2(Bucket='avatars-out')['KeyCount']:\n"
                    "        break\n"
                    "    time.sleep(0.1)\n"
                ),
                "no layer",
            ),
            # Learner trial 12 (KD2): "every upload", but the notification sends PutObject's
            # event only: a multipart upload (upload_file of a large file) or a POST makes no
            # avatar. The check uploads with PutObject, so it passed.
            "trigger-on-put-only": Wrong(
                avatars("deploy(HEAD + FIT + TAIL, events=('s3:ObjectCreated:Put',))\n"),
                "sends only ['s3:ObjectCreated:Put']",
                "`s3:ObjectCreated:CompleteMultipartUpload`",
                "`['s3:ObjectCreated:*']`",
            ),
            # Learner trial 12 (KD5): a guard for the originals written too wide (`*`) denies
            # the avatar's write too; the message said the role didn't allow it, and adding
            # that Allow changes nothing: an explicit Deny wins.
            "deny-overrides-put": Wrong(
                avatars(
                    "deploy(HEAD + FIT + TAIL, statements=[READ, WRITE, {'Effect': 'Deny',\n"
                    "    'Action': ['s3:DeleteObject', 's3:PutObject'], 'Resource': '*'}])\n"
                ),
                "allows `s3:PutObject` on `arn:aws:s3:::avatars-out/*`, but",
                "`Deny s3:DeleteObject, s3:PutObject on *`",
                "an explicit Deny wins",
            ),
            # Learner trial 12 (KD8): a managed policy left on the role by an earlier attempt
            # is named, with how to detach it.
            "managed-policy-attached": Wrong(
                avatars(
                    "deploy(HEAD + FIT + TAIL)\n"
                    "iam.attach_role_policy(RoleName='avatars-role',\n"
                    "    PolicyArn='arn:aws:iam::aws:policy/AmazonS3FullAccess')\n"
                ),
                "managed policy `AmazonS3FullAccess` attached to `avatars-role`",
                "iam.detach_role_policy",
            ),
            # Learner trial 13 (PD6): the extension cut at four characters (`.png`'s): a
            # `.jpeg` upload becomes `..jpg`. The check's one JPEG had an extension drawn from
            # three, and passed it whenever that was `.JPG`; it now uploads one of each.
            "extension-cut-at-four-characters": Wrong(
                avatars(
                    "deploy(HEAD + FIT + TAIL.replace("
                    '\'key.rsplit(".", 1)[0] + ".jpg"\', \'key[:-4] + ".jpg"\'))\n'
                ),
                "..jpg`",
                "replaced by exactly `.jpg`",
            ),
            # Learner trial 13 (PD6): the extensions stripped from a list that forgets the
            # lower-case `.jpeg` the task names: `IMG_1234.jpeg` becomes `IMG_1234.jpeg.jpg`.
            "forgets-lower-case-jpeg": Wrong(
                avatars(
                    "deploy('import os\\n' + HEAD + FIT + TAIL.replace("
                    '\'key.rsplit(".", 1)[0] + ".jpg"\', '
                    '"(os.path.splitext(key)[0] if os.path.splitext(key)[1] in '
                    "('.png', '.PNG', '.JPG', '.JPEG') else key) + '.jpg'\"))\n"
                ),
                ".jpeg.jpg`",
                "replaced by exactly `.jpg`",
            ),
            # Learner trial 13 (PD11): the notification is right, but the handler skips every
            # record but `ObjectCreated:Put`: a multipart upload makes no avatar. The check
            # uploaded with PutObject only, and passed it.
            "handler-skips-all-but-put-records": Wrong(
                avatars(
                    "deploy(HEAD.replace('    for record in event[\"Records\"]:\\n', "
                    "'    for record in event[\"Records\"]:\\n'\n"
                    '       \'        if record["eventName"] != "ObjectCreated:Put":\\n\'\n'
                    "       '            continue\\n') + FIT + TAIL)\n"
                ),
                "multipart upload",
                "`eventName`",
            ),
            # Learner trial 13 (PD2): `convert("L")` for JPEG's lack of alpha: the right patch,
            # in grey. The message blamed the crop box.
            "converted-to-greyscale": Wrong(
                avatars(
                    "deploy(HEAD.replace('.convert(\"RGB\")', '.convert(\"L\")') + FIT + TAIL)\n"
                ),
                "is grey",
                "colours were lost",
                "convert('RGB')",
            ),
            # Learner trial 13 (PD3): Put and CompleteMultipartUpload only: a browser form's
            # POST makes no avatar; the message called Post "a multipart upload".
            "put-and-multipart-only": Wrong(
                avatars(
                    "deploy(HEAD + FIT + TAIL, events=('s3:ObjectCreated:Put',\n"
                    "       's3:ObjectCreated:CompleteMultipartUpload'))\n"
                ),
                "a browser form's POST is `s3:ObjectCreated:Post`",
                "`['s3:ObjectCreated:*']`",
            ),
            # Learner trial 13 (PD14): deletions sent to `avatars` too: it would run for a
            # picture it can't read. It passed.
            "created-and-removed-events": Wrong(
                avatars(
                    "deploy(HEAD + FIT + TAIL, events=('s3:ObjectCreated:*', "
                    "'s3:ObjectRemoved:*'))\n"
                ),
                "also sends `s3:ObjectRemoved:*`",
                "a deletion",
                "Only uploads may run it",
            ),
            # Learner trial 13 (PD10): S3 -> EventBridge -> `avatars`: it works on AWS too, but
            # the task asks for S3's own notification; the message said AWS refuses it.
            "trigger-through-eventbridge": Wrong(
                avatars(
                    "deploy(HEAD + FIT + TAIL, permit=False, notify=False)\n"
                    "s3.put_bucket_notification_configuration(Bucket='avatars-in',\n"
                    "    NotificationConfiguration={'EventBridgeConfiguration': {}})\n"
                    "events = boto3.client('events')\n"
                    "rule = events.put_rule(Name='avatars-uploads', EventPattern=json.dumps(\n"
                    "    {'source': ['aws.s3'], 'detail-type': ['Object Created'],\n"
                    "     'detail': {'bucket': {'name': ['avatars-in']}}}))['RuleArn']\n"
                    "lam.add_permission(FunctionName='avatars', StatementId='events',\n"
                    "    Action='lambda:InvokeFunction', Principal='events.amazonaws.com',\n"
                    "    SourceArn=rule)\n"
                    "events.put_targets(Rule='avatars-uploads', Targets=[{'Id': 'avatars',\n"
                    "    'Arn': lam.get_function(FunctionName='avatars')['Configuration']"
                    "['FunctionArn']}])\n"
                ),
                "sends its events to EventBridge",
                "works on AWS too",
                "`LambdaFunctionConfigurations`",
            ),
            # Learner trial 13 (PW1): the thumbnailer's `ContentType="image/png"` kept on the
            # JPEG avatar: S3 serves it as a PNG.
            "content-type-png": Wrong(
                avatars(
                    "deploy(HEAD + FIT + TAIL.replace('Body=out.getvalue())', "
                    "'Body=out.getvalue(), ContentType=\"image/png\")'))\n"
                ),
                "ContentType='image/png'",
                "image/jpeg",
            ),
            # Learner trial 13 (PW3): reserved concurrency 0 left from an experiment: it was
            # said to have "ran ... and failed: throttled".
            "reserved-concurrency-zero": Wrong(
                avatars(
                    "deploy(HEAD + FIT + TAIL)\n"
                    "lam.put_function_concurrency(FunctionName='avatars', "
                    "ReservedConcurrentExecutions=0)\n"
                ),
                "reserved concurrency of 0",
                "delete_function_concurrency",
            ),
            "squashed": Wrong(
                avatars('deploy(HEAD + "        image = image.resize((64, 64))\\n" + TAIL)\n'),
                "squashed",
            ),
            # The square from the left edge, not from the middle.
            "off-centre-crop": Wrong(
                avatars(
                    'deploy(HEAD + "        side = min(image.size)\\n"\n'
                    '       "        image = image.crop((0, 0, side, side))\\n"\n'
                    '       "        image = image.resize((64, 64))\\n"\n'
                    "       + TAIL)\n"
                ),
                "off centre",
            ),
            # Found by learner trial 6: a 64x64 patch cut from the middle, never scaled; it
            # passed while the test picture's centre was one colour.
            "centre-patch-not-scaled": Wrong(
                avatars(
                    'deploy(HEAD + "        cx, cy = image.width // 2, image.height // 2\\n"\n'
                    '       "        image = image.crop((cx - 32, cy - 32, cx + 32, cy + 32))\\n"\n'
                    "       + TAIL)\n"
                ),
                "patch cut from the middle",
                "then scale it down",
            ),
            # Found by learner trial 6: the avatar written back to the bucket of the event; the
            # message used to invite a PutObject right on avatars-in (a loop).
            "writes-back-to-input-bucket": Wrong(
                avatars(
                    "deploy(HEAD + FIT + TAIL.replace('Bucket=\"avatars-out\"', "
                    '\'Bucket=record["s3"]["bucket"]["name"]\'))\n'
                ),
                "writes the avatar to `avatars-in`",
                "write it to `avatars-out`",
                "in a loop",
            ),
            "thumbnail-keeps-proportions": Wrong(
                avatars('deploy(HEAD + "        image.thumbnail((64, 64))\\n" + TAIL)\n'),
                "pixels",
                "(64, 64)",
            ),
            "no-layer": Wrong(avatars("deploy(HEAD + FIT + TAIL, layers=False)\n"), "no layer"),
            "missing-add-permission": Wrong(
                avatars("deploy(HEAD + FIT + TAIL, permit=False)\n"),
                "resource-based policy",
                "s3.amazonaws.com",
                raises="Unable to validate the following destination configurations",
            ),
            # A learner trial: only .jpeg uploads reach the function; the check's is a PNG.
            "jpeg-suffix-filter": Wrong(
                avatars("deploy(HEAD + FIT + TAIL, suffix='.jpeg')\n"), "suffix `.jpeg`", "PNG"
            ),
            # Learner trial 10 (YD13): only the two extensions the task shows swapped; the
            # check's were always `.png` and `.JPEG`. They vary now, one PNG always `.PNG`.
            "replaces-only-the-tasks-two-extensions": Wrong(
                avatars(
                    'deploy(HEAD + FIT + TAIL.replace(\'key.rsplit(".", 1)[0] + ".jpg"\', '
                    '\'key.replace(".png", ".jpg").replace(".JPEG", ".jpg")\'))\n'
                ),
                "own name, `check/",
                "a replacement of some extensions only",
            ),
            # Learner trial 10 (YD4): `ImageOps.fit(..., bleed=0.15)` zooms on the middle 70 %
            # of the centre square; the check sampled only where its colour still was.
            "fit-with-bleed-zoomed-crop": Wrong(
                avatars(
                    'deploy(HEAD + "        image = ImageOps.fit(image, (64, 64), bleed=0.15)\\n"'
                    " + TAIL)\n"
                ),
                "zoomed in",
                "without `bleed`",
            ),
            # Learner trial 10 (YD5): RGBA only converted, each record's error caught and
            # printed; nothing appeared, and the check blamed key decoding and put_object.
            # It reads the function's log for the upload now.
            "errors-swallowed-mode-p-not-converted": Wrong(
                avatars(
                    'deploy("""\n'
                    "import io\n"
                    "import traceback\n"
                    "from urllib.parse import unquote_plus\n\n"
                    "import boto3\n"
                    "from PIL import Image, ImageOps\n\n"
                    "s3 = boto3.client('s3')\n\n\n"
                    "def handler(event, context):\n"
                    "    for record in event['Records']:\n"
                    "        key = unquote_plus(record['s3']['object']['key'])\n"
                    "        try:\n"
                    "            got = s3.get_object(Bucket='avatars-in', Key=key)\n"
                    "            body = got['Body'].read()\n"
                    "            image = Image.open(io.BytesIO(body))\n"
                    "            if image.mode == 'RGBA':\n"
                    "                image = image.convert('RGB')\n"
                    "            image = ImageOps.fit(image, (64, 64))\n"
                    "            out = io.BytesIO()\n"
                    "            image.save(out, format='JPEG')\n"
                    "            s3.put_object(Bucket='avatars-out', Key=key.rsplit('.', 1)[0] + "
                    "'.jpg', Body=out.getvalue())\n"
                    "        except Exception:\n"
                    "            print(f'could not make an avatar of {key}:')\n"
                    "            traceback.print_exc()\n"
                    '""")\n'
                ),
                "ran without failing",
                "cannot write mode P as JPEG",
                "the handler caught the error",
                "every picture that isn't RGB",
            ),
            # Learner trials: both passed while the check uploaded a PNG only.
            "png-suffix-filter": Wrong(
                avatars("deploy(HEAD + FIT + TAIL, suffix='.png')\n"),
                "suffix `.png`",
                "whatever its extension",
            ),
            # Two notifications, `.png` and `.jpg`: S3 compares a suffix case and all, so an
            # upload ending in `.JPEG` never reaches the function.
            "png-and-lower-case-jpg-filters": Wrong(
                avatars(
                    "deploy(HEAD + FIT + TAIL)\n"
                    "fn_arn = lam.get_function(FunctionName='avatars')['Configuration']"
                    "['FunctionArn']\n"
                    "s3.put_bucket_notification_configuration(Bucket='avatars-in', "
                    "NotificationConfiguration={'LambdaFunctionConfigurations': [\n"
                    "    {'LambdaFunctionArn': fn_arn, 'Events': ['s3:ObjectCreated:*'],\n"
                    "     'Filter': {'Key': {'FilterRules': [{'Name': 'suffix', 'Value': end}]}}}\n"
                    "    for end in ('.png', '.jpg')]})\n"
                ),
                "suffix `.png` or the suffix `.jpg`",
                "would never reach `avatars`",
                "whatever its extension",
            ),
            # Learner trial 11 (EW1): a pattern of the extensions in lower case; the message
            # named `key.replace` only.
            "regex-case-sensitive-extension": Wrong(
                avatars(
                    "deploy('import re\\n' + HEAD + FIT + TAIL.replace("
                    '\'key.rsplit(".", 1)[0] + ".jpg"\', '
                    '\'re.sub(r"\\\\.(png|jpe?g)$", ".jpg", key)\'))\n'
                ),
                "own name, `check/",
                "was left as it is",
                "`re.IGNORECASE`",
            ),
            "extension-replaced-for-png-only": Wrong(
                avatars(
                    'deploy(HEAD + FIT + TAIL.replace(\'key.rsplit(".", 1)[0] + ".jpg"\', '
                    '\'key.replace(".png", ".jpg")\'))\n'
                ),
                "own name, `check/",
                ".jpg`: the same key",
                "a replacement of some extensions only",
            ),
            # A learner trial: a SourceAccount copied from a tutorial (S3 refuses it).
            "source-account-of-a-tutorial": Wrong(
                avatars("deploy(HEAD + FIT + TAIL, permit='other')\n"),
                "SourceAccount",
                "111122223333",
                raises="Unable to validate the following destination configurations",
            ),
            # Found by a learner trial: S3 may invoke it for any bucket of any account.
            "permission-without-source-arn": Wrong(
                avatars("deploy(HEAD + FIT + TAIL, permit='any')\n"), "over-broad", "SourceArn"
            ),
            "over-broad-role": Wrong(
                avatars(
                    "deploy(HEAD + FIT + TAIL, statements=[{'Effect': 'Allow', "
                    "'Action': 's3:*', 'Resource': '*'}])\n"
                ),
                "allows more",
                "`s3:*`",
            ),
            "missing-put-permission": Wrong(
                avatars("deploy(HEAD + FIT + TAIL, statements=[READ])\n"), "`s3:PutObject`"
            ),
            "keeps-transparency": Wrong(
                avatars("deploy((HEAD + FIT + TAIL).replace('.convert(\"RGB\")', ''))\n"), "RGB"
            ),
            "key-not-decoded": Wrong(
                avatars(
                    "deploy((HEAD + FIT + TAIL).replace("
                    '\'unquote_plus(record["s3"]["object"]["key"])\', '
                    '\'record["s3"]["object"]["key"]\'))\n'
                ),
                "NoSuchKey",
                "unquote_plus",
            ),
            "jpeg-extension": Wrong(
                avatars("deploy((HEAD + FIT + TAIL).replace('\".jpg\"', '\".jpeg\"'))\n"),
                ".jpeg`",
                "exactly `.jpg`",
            ),
            # Found by learner trial 7 (D1): `crop((left, top, side, side))`, a width and
            # height where crop takes the right and lower edges: a strip of the centre square
            # beside its middle, squashed. It was told to make the avatar from the upload.
            "crop-box-as-width-and-height": Wrong(
                avatars(
                    'deploy(HEAD + "        side = min(image.size)\\n"\n'
                    '       "        left, top = (image.width - side) // 2, '
                    '(image.height - side) // 2\\n"\n'
                    '       "        image = image.crop((left, top, side, side))'
                    '.resize((64, 64))\\n"\n'
                    "       + TAIL)\n"
                ),
                # "off centre" in every branch this answer can reach: where the middle of its
                # slice falls depends on the picture's drawn width (2 to 2.5 heights).
                "off centre",
                "(left, upper, right, lower)",
            ),
            # Found by learner trial 7 (D2): the key cut at its FIRST dot; it passed while the
            # check's names held no dot before the extension.
            "key-cut-at-the-first-dot": Wrong(
                avatars(
                    "deploy(HEAD + FIT + TAIL.replace("
                    '\'key.rsplit(".", 1)[0] + ".jpg"\', \'key.split(".")[0] + ".jpg"\'))\n'
                ),
                "cut at its first dot",
                "`key.rsplit('.', 1)[0]`",
            ),
            # Found by learner trial 7 (D3): only RGBA pictures converted; a palette PNG with a
            # transparent colour (mode P) stays P, which JPEG can't hold. It passed while the
            # check's PNG was always RGBA.
            "converts-only-rgba": Wrong(
                avatars(
                    "deploy(HEAD.replace('.convert(\"RGB\")', '') + "
                    "\"        if image.mode == 'RGBA':\\n\"\n"
                    "       \"            image = image.convert('RGB')\\n\" + FIT + TAIL)\n"
                ),
                "cannot write mode P as JPEG",
                "mode `P`",
                "every picture that isn't RGB",
            ),
            # Learner trial 7 (M1): a layer of its own, under a Python 3.12 tutorial's path;
            # the function runs python3.13, whose Python doesn't look there.
            "layer-for-another-python-version": Wrong(
                avatars(
                    "old_layer = lam.publish_layer_version(\n"
                    "    LayerName='pillow-avatars',\n"
                    "    Content={'ZipFile': zip_bytes(site_packages_zip("
                    "'pillow', prefix='python/lib/python3.12/site-packages/'))},\n"
                    "    CompatibleRuntimes=['python3.12', 'python3.13'],\n"
                    ")['LayerVersionArn']\n"
                    "deploy(HEAD + FIT + TAIL, layers=False)\n"
                    "lam.update_function_configuration(FunctionName='avatars', "
                    "Layers=[old_layer])\n"
                    "lam.get_waiter('function_updated_v2').wait(FunctionName='avatars')\n"
                ),
                "python/lib/python3.12/site-packages/",
                "`python3.13`",
            ),
            # Learner trial 8 (N D1): the key lower-cased to cope with `.JPEG`, and the
            # avatar named from the lower-cased key (`IMG_4821.JPEG` -> `img_4821.jpg`). It
            # passed while every key the check uploaded was lower case.
            "whole-key-lowercased": Wrong(
                avatars(
                    "deploy(HEAD + FIT + TAIL.replace("
                    '\'key.rsplit(".", 1)[0] + ".jpg"\', '
                    '\'key.lower().rsplit(".", 1)[0] + ".jpg"\'))\n'
                ),
                "keeps its capitals",
                "lower-cased key",
            ),
            # Learner trial 8 (N M1): the JPEG saved into a BytesIO, the buffer given to
            # put_object without rewinding it: every avatar is an empty object.
            "bytesio-not-rewound": Wrong(
                avatars("deploy(HEAD + FIT + TAIL.replace('Body=out.getvalue()', 'Body=out'))\n"),
                "empty (0 bytes)",
                "seek(0)",
            ),
            # Learner trial 9 (SD5): RGBA and P converted, grey with alpha (LA) left as it is,
            # which JPEG can't hold. It passed while the check uploaded no LA picture.
            "converts-rgba-and-p-not-la": Wrong(
                avatars(
                    "deploy(HEAD.replace('.convert(\"RGB\")', '') + "
                    "\"        if image.mode in ('RGBA', 'P'):\\n\"\n"
                    "       \"            image = image.convert('RGB')\\n\" + FIT + TAIL)\n"
                ),
                "cannot write mode LA as JPEG",
                "mode `LA`",
            ),
            # Learner trial 9 (SD6): the whole picture fitted with white bands above and below
            # (`ImageOps.pad`); it was told the picture was squashed.
            "padded-not-cropped": Wrong(
                avatars(
                    'deploy(HEAD + "        image = ImageOps.pad(image, (64, 64), '
                    "color='white')\\n\" + TAIL)\n"
                ),
                "fitted into the square",
                "ImageOps.pad",
            ),
            # Learner trial 9 (SD6): a square on the longer side, a crop box bigger than the
            # picture, which Pillow fills with black above and below; told "squashed" too.
            "crop-square-of-longer-side": Wrong(
                avatars(
                    'deploy(HEAD + "        side = max(image.size)\\n"\n'
                    '       "        left = (image.width - side) // 2\\n"\n'
                    '       "        top = (image.height - side) // 2\\n"\n'
                    '       "        image = image.crop((left, top, left + side, top + side))'
                    '.resize((64, 64))\\n" + TAIL)\n'
                ),
                "fitted into the square",
                "longer side",
            ),
            # Learner trial 9 (SD20): only `+` turned back into a space; the check's keys had
            # no other escaped character, so it passed. A letter beyond ASCII stays `%C3%..`.
            "plus-to-space-not-unquoted": Wrong(
                avatars(
                    "deploy((HEAD + FIT + TAIL).replace("
                    '\'unquote_plus(record["s3"]["object"]["key"])\', '
                    '\'record["s3"]["object"]["key"].replace("+", " ")\'))\n'
                ),
                "unquote_plus",
                "replacing `+` alone",
            ),
            # Learner trial 9 (SD11): `ACL="public-read"` on the avatar: a new bucket has ACLs
            # disabled, so S3 refuses every write (AccessControlListNotSupported).
            "public-read-acl-on-put": Wrong(
                avatars(
                    "deploy(HEAD + FIT + TAIL.replace('Body=out.getvalue()', "
                    "'Body=out.getvalue(), ACL=\"public-read\"'))\n"
                ),
                "AccessControlListNotSupported",
                "ACLs disabled",
                "drop the ACL",
            ),
            "no-trigger": Wrong(
                avatars("deploy(HEAD + FIT + TAIL, notify=False)\n"), "don't invoke"
            ),
            # Learner trial 11 (ED10): arm64 (Graviton, cheaper) with the notebook's Pillow
            # layer, compiled for x86_64 on an x86_64 Linux machine: on AWS `from PIL import
            # Image` fails. The layer's modules are named for x86_64 Linux whatever machine
            # runs the test (an arm64 or macOS one builds others; the check reads the names).
            "arm64-function-x86-layer": Wrong(
                avatars(
                    "import re\n"
                    "x86_files = {re.sub(r'\\.cpython-(\\d+)-[^/]*\\.so$',\n"
                    "                    r'.cpython-\\1-x86_64-linux-gnu.so', name): data\n"
                    "             for name, data in site_packages_zip('pillow', "
                    "prefix='python/').items()}\n"
                    "pillow_layer = lam.publish_layer_version(LayerName='pillow-x86',\n"
                    "    Content={'ZipFile': zip_bytes(x86_files)})['LayerVersionArn']\n"
                    "deploy(HEAD + FIT + TAIL)\n"
                    "lam.update_function_code(FunctionName='avatars', Architectures=['arm64'],\n"
                    "    ZipFile=zip_bytes({'app.py': HEAD + FIT + TAIL}))\n"
                    "lam.get_waiter('function_updated_v2').wait(FunctionName='avatars')\n"
                ),
                "runs on `arm64`",
                "compiled for `x86_64`",
                "manylinux2014_aarch64",
            ),
        },
        right={
            "crop-by-hand": avatars(
                'deploy(HEAD + "        side = min(image.size)\\n"\n'
                '       "        left = (image.width - side) // 2\\n"\n'
                '       "        top = (image.height - side) // 2\\n"\n'
                '       "        image = image.crop((left, top, left + side, top + side))'
                '.resize((64, 64))\\n" + TAIL)\n'
            ),
            # Learner trial 12 (KD2): was `events=('s3:ObjectCreated:Put',)`, which misses
            # multipart and POST uploads; every upload event listed one by one is right.
            "upload-events-two-statements": avatars(
                'deploy(HEAD + "        image = ImageOps.fit(image, (64, 64), '
                'method=Image.Resampling.LANCZOS)\\n" + TAIL,\n'
                "       statements=[READ, WRITE, {'Effect': 'Allow', 'Action': "
                "['logs:CreateLogStream', 'logs:PutLogEvents'], 'Resource': '*'}],\n"
                "       events=('s3:ObjectCreated:Put', 's3:ObjectCreated:Post',\n"
                "               's3:ObjectCreated:CompleteMultipartUpload'))\n"
            ),
            # Learner trial 12 (KD8): an earlier attempt attached AmazonS3FullAccess to the
            # role (as the notebook's click counter attaches a managed policy), then the
            # official solution: it removed inline policies only, and was refused.
            # Learner trial 13 (PD5): a permissions boundary without s3:PutObject left on the
            # role by an attempt, then the solution's code: it kept the boundary, and failed.
            "permissions-boundary-left-then-solution": avatars(
                "deploy(HEAD + FIT + TAIL)\n"
                "boundary = iam.create_policy(PolicyName='avatars-boundary', "
                "PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{\n"
                "    'Effect': 'Allow', 'Action': ['s3:GetObject', 'logs:CreateLogGroup', "
                "'logs:CreateLogStream', 'logs:PutLogEvents'], 'Resource': '*'}]}))\n"
                "iam.put_role_permissions_boundary(RoleName='avatars-role', "
                "PermissionsBoundary=boundary['Policy']['Arn'])\n"
            )
            + _AVATARS_SOLUTION,
            "managed-policy-left-then-solution": avatars(
                "deploy(HEAD + FIT + TAIL)\n"
                "iam.attach_role_policy(RoleName='avatars-role',\n"
                "    PolicyArn='arn:aws:iam::aws:policy/AmazonS3FullAccess')\n"
            )
            + _AVATARS_SOLUTION,
            # The centre square cut by hand and scaled with another filter (nearest neighbour):
            # the check samples the avatar away from the picture's borders, so any filter passes.
            "crop-by-hand-nearest": avatars(
                'deploy(HEAD + "        side = image.height\\n"\n'
                '       "        left = (image.width - side) // 2\\n"\n'
                '       "        image = image.crop((left, 0, left + side, side))'
                '.resize((64, 64), Image.Resampling.NEAREST)\\n" + TAIL)\n'
            ),
            # Learner trial 7: transparency flattened onto white for every mode that has it
            # (RGBA, LA, P with a transparent colour), then the centre square cut by hand.
            "alpha-flattened-onto-white": avatars(
                'deploy(HEAD.replace(\'.convert("RGB")\', "") + """\n'
                "        if image.mode in ('RGBA', 'LA') or 'transparency' in image.info:\n"
                "            rgba = image.convert('RGBA')\n"
                "            white = Image.new('RGBA', rgba.size, (255, 255, 255, 255))\n"
                "            image = Image.alpha_composite(white, rgba)\n"
                "        image = image.convert('RGB')\n"
                "        image = ImageOps.fit(image, (64, 64), centering=(0.5, 0.5))\n"
                '""" + TAIL)\n'
            ),
            # Learner trial 10 (YD10): the bucket's ARN beside `bucket/*`, a common pattern;
            # GetObject and PutObject apply to objects only, so it grants nothing more. It was
            # refused as "allows more".
            "bucket-arn-beside-objects-arn": avatars(
                "deploy(HEAD + FIT + TAIL, statements=[\n"
                "    {'Effect': 'Allow', 'Action': 's3:GetObject',\n"
                "     'Resource': ['arn:aws:s3:::avatars-in', 'arn:aws:s3:::avatars-in/*']},\n"
                "    {'Effect': 'Allow', 'Action': 's3:PutObject',\n"
                "     'Resource': ['arn:aws:s3:::avatars-out', 'arn:aws:s3:::avatars-out/*']}])\n"
            ),
            # Any extension cut off, with os.path.splitext.
            "splitext-key": avatars(
                "deploy('import os\\n' + HEAD + FIT + TAIL.replace("
                '\'key.rsplit(".", 1)[0] + ".jpg"\', \'os.path.splitext(key)[0] + ".jpg"\'))\n'
            ),
            # Learner trial 11 (ED4): a version, an alias `live`, the permission on the alias
            # (Qualifier='live') and the trigger aimed at `avatars:live`: the check looked at
            # the function's own policy only, and said the trigger invoked the function.
            "trigger-and-permission-on-alias": avatars(
                "deploy(HEAD + FIT + TAIL, permit=False, notify=False)\n"
                "version = lam.publish_version(FunctionName='avatars')['Version']\n"
                "alias = lam.create_alias(FunctionName='avatars', Name='live',\n"
                "                         FunctionVersion=version)['AliasArn']\n"
                "lam.add_permission(FunctionName='avatars', Qualifier='live',\n"
                "                   StatementId='s3-avatars-in', Action='lambda:InvokeFunction',\n"
                "                   Principal='s3.amazonaws.com',\n"
                "                   SourceArn='arn:aws:s3:::avatars-in')\n"
                "s3.put_bucket_notification_configuration(Bucket='avatars-in',\n"
                "    NotificationConfiguration={'LambdaFunctionConfigurations': [\n"
                "        {'LambdaFunctionArn': alias, 'Events': ['s3:ObjectCreated:*']}]})\n"
            ),
            # Learner trial 11 (ED8): writes allowed on `avatars-out/*.jpg` only, every key the
            # handler writes: tighter than the task's `avatars-out/*`. It was refused as
            # missing, the check asking about a `.png` key no handler writes.
            "put-only-jpg-keys": avatars(
                "deploy(HEAD + FIT + TAIL, statements=[READ, {'Effect': 'Allow', "
                "'Action': 's3:PutObject', 'Resource': 'arn:aws:s3:::avatars-out/*.jpg'}])\n"
            ),
        },
        broken="squashed",
    ),
}

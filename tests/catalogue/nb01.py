"""Notebook 01: q1 `greeter` greets by name; q2 it prints its greeting."""

from helpers.runtime.interpreters import KIT_VERSION, find
from tests.catalogue import Answers, Wrong

_DEPLOY = """
import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")
try:
    lam.delete_function(FunctionName="greeter")
except lam.exceptions.ResourceNotFoundException:
    pass
lam.create_function(FunctionName="greeter", Runtime={runtime!r}, Role=execution_role(),
                    Handler={handler!r}, Code={{"ZipFile": zip_bytes({{{file!r}: SOURCE}})}})
lam.get_waiter("function_active_v2").wait(FunctionName="greeter")
"""


def deploy(source: str, handler="lambda_function.lambda_handler", runtime="python3.12") -> str:
    """A learner's cell: `source` deployed as greeter (replacing an earlier one)."""
    file = handler.split(".")[0] + ".py"
    return f"SOURCE = '''{source}'''\n" + _DEPLOY.format(
        runtime=runtime, handler=handler, file=file
    )


ZIP_WITH_MODES = """
import io
import zipfile

def zip_600(name):  # writestr with a name: the file gets the mode 600 (rw-------)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, SOURCE)
    return buffer.getvalue()

def zip_644(name):  # a ZipInfo of its own, readable by all
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(name)
        info.external_attr = 0o644 << 16
        archive.writestr(info, SOURCE)
    return buffer.getvalue()
"""


def update(source: str) -> str:
    """A learner's q2 cell: new code for greeter with update_function_code."""
    return f"""
import boto3
from helpers.packaging import zip_bytes
SOURCE = '''{source}'''
lam = boto3.client("lambda")
lam.update_function_code(FunctionName="greeter",
                         ZipFile=zip_bytes({{"lambda_function.py": SOURCE}}))
lam.get_waiter("function_updated_v2").wait(FunctionName="greeter")
"""


GREETS = """
def lambda_handler(event, context):
    return {"greeting": f"Hello, {event['name']}!"}
"""

PRINTS = """
def lambda_handler(event, context):
    greeting = f"Hello, {event['name']}!"
    print(greeting)
    return {"greeting": greeting}
"""


def with_role(name: str, policy: dict | None = None) -> str:
    """A learner's cell: greeter given a role of its own, `name`, with only the trust policy
    and the inline policy `policy` (if any)."""
    return f"""
import json
import boto3
iam = boto3.client("iam")
trust = {{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
    "Principal": {{"Service": "lambda.amazonaws.com"}}, "Action": "sts:AssumeRole"}}]}}
role = iam.create_role(RoleName={name!r}, AssumeRolePolicyDocument=json.dumps(trust))["Role"]
region = boto3.session.Session().region_name
account = boto3.client("sts").get_caller_identity()["Account"]
policy = {policy!r}
if policy:
    text = json.dumps(policy).replace("REGION", region).replace("ACCOUNT", account)
    iam.put_role_policy(RoleName={name!r}, PolicyName="logs", PolicyDocument=text)
lam = boto3.client("lambda")
lam.update_function_configuration(FunctionName="greeter", Role=role["Arn"])
lam.get_waiter("function_updated_v2").wait(FunctionName="greeter")
"""


ANSWERS = {
    "q1": Answers(
        wrong={
            "hard-coded-name": Wrong(
                deploy("def lambda_handler(e, c):\n    return {'greeting': 'Hello, Ada!'}\n"),
                "hard-coded",
                "event['name']",
            ),
            # Trial 7 (E N1): the braces come back as written.
            "f-prefix-missing": Wrong(
                deploy(
                    "def lambda_handler(e, c):\n    return {'greeting': \"Hello, {e['name']}!\"}\n"
                ),
                "braces came back as written",
                "an f-string",
            ),
            "wrong-key": Wrong(
                deploy(
                    "def lambda_handler(e, c):\n    return {'message': f\"Hello, {e['name']}!\"}\n"
                ),
                "the key must be `greeting`",
            ),
            "punctuation": Wrong(
                deploy(
                    "def lambda_handler(e, c):\n    return {'greeting': f\"Hello {e['name']}\"}\n"
                ),
                "exactly",
                "comma",
            ),
            "json-string": Wrong(
                deploy(
                    "import json\ndef lambda_handler(e, c):\n"
                    "    return json.dumps({'greeting': f\"Hello, {e['name']}!\"})\n"
                ),
                "returned a str",
                "return the dict itself",
            ),
            "wrong-field": Wrong(
                deploy(
                    "def lambda_handler(e, c):\n    return {'greeting': f\"Hello, {e['Name']}!\"}\n"
                ),
                "failed with KeyError",
            ),
            "handler-name-mismatch": Wrong(
                deploy(GREETS, handler="lambda_function.handler"),
                "failed with Runtime.HandlerNotFound",
            ),
            # Found by a learner trial: the message sent the learner to a hint that didn't say
            # where the log is.
            "handler-with-py-suffix": Wrong(
                deploy(GREETS, handler="lambda_function.py.lambda_handler"),
                "failed with Runtime.ImportModuleError",
                "log group `/aws/lambda/greeter`",
            ),
            # Found by a learner trial: each passed when the check happened to draw easy names.
            "first-word-only": Wrong(
                deploy(
                    "def lambda_handler(e, c):\n"
                    "    return {'greeting': f\"Hello, {e['name'].split()[0]}!\"}\n"
                ),
                "'Mary Ann'",
                "'Hello, Mary!'",
            ),
            "accents-dropped": Wrong(
                deploy(
                    "import unicodedata\ndef lambda_handler(e, c):\n"
                    "    name = unicodedata.normalize('NFKD', e['name'])"
                    ".encode('ascii', 'ignore').decode()\n"
                    "    return {'greeting': f'Hello, {name}!'}\n"
                ),
                "expected {'greeting': 'Hello, ",
            ),
            "first-name-kept-in-a-global": Wrong(
                deploy(
                    "seen = []\ndef lambda_handler(e, c):\n    seen.append(e['name'])\n"
                    "    return {'greeting': f'Hello, {seen[0]}!'}\n"
                ),
                "kept from an earlier invocation",
            ),
            # Found by a learner trial: told its name was hard-coded, then that two identical
            # greetings differed.
            "prints-instead-of-returning": Wrong(
                deploy(
                    "def lambda_handler(e, c):\n    print({'greeting': f\"Hello, {e['name']}!\"})\n"
                ),
                "returned None",
                "`return` it",
            ),
            # Learner trial 9 (OD1): every name the check drew was in title case, so a handler
            # greeting `name.title()` passed; a lower-case name with an apostrophe
            # (d'Artagnan) is now drawn every time, and the re-cased name is named.
            "name-title-cased": Wrong(
                deploy(
                    "def lambda_handler(e, c):\n"
                    "    return {'greeting': f\"Hello, {e['name'].title()}!\"}\n"
                ),
                "capitals changed",
                "exactly as the event gives it",
            ),
            # Learner trial 9 (OD1): html.escape passed too (no name held `'` or `&`).
            "name-html-escaped": Wrong(
                deploy(
                    "import html\ndef lambda_handler(e, c):\n"
                    "    return {'greeting': f\"Hello, {html.escape(e['name'])}!\"}\n"
                ),
                "HTML-escaped",
                "&#x27;",
            ),
            # Learner trial 9 (OD6): a wrong key read with .get greets None for every name,
            # and was told its name was hard-coded; now the missing key is named.
            "wrong-key-with-get": Wrong(
                deploy(
                    "def lambda_handler(e, c):\n"
                    "    return {'greeting': f\"Hello, {e.get('firstName')}!\"}\n"
                ),
                "'Hello, None!'",
                "the key it reads isn't in the event",
                "event['name']",
            ),
            # Learner trial 9 (OD8): reserved concurrency 0 (notebook 02's off switch) made the
            # check's invoke raise TooManyRequestsException, and the check blame itself.
            "function-throttled-to-zero": Wrong(
                deploy(GREETS) + "lam.put_function_concurrency(FunctionName='greeter', "
                "ReservedConcurrentExecutions=0)\n",
                "reserved concurrency of 0",
                "delete_function_concurrency",
            ),
            # Learner trial 10 (UD1): every name the check drew was 10 characters or fewer,
            # so a handler cutting the name to 10 passed; a name of over 100 characters is
            # drawn every time, and the cut is named.
            "name-truncated-to-ten": Wrong(
                deploy(
                    "def lambda_handler(e, c):\n"
                    "    return {'greeting': f\"Hello, {e['name'][:10]}!\"}\n"
                ),
                "cuts the name after 10 characters",
                "whole name",
            ),
            # Learner trial 10 (UD1): a cut at a plausible "maximum length" (64, a function
            # name's) fails as well.
            "name-truncated-to-sixty-four": Wrong(
                deploy(
                    "def lambda_handler(e, c):\n"
                    "    return {'greeting': f\"Hello, {e['name'][:64]}!\"}\n"
                ),
                "cuts the name after 64 characters",
            ),
            # Learner trial 11 (AD2): the long names were 114-123 characters, so a cut at a
            # common "maximum length" (128, 255, 256) always passed; the long name now has
            # 1,100-1,400 characters.
            "name-truncated-to-128": Wrong(
                deploy(
                    "def lambda_handler(e, c):\n"
                    "    name = e['name'][:128]\n"
                    "    return {'greeting': f'Hello, {name}!'}\n"
                ),
                "cuts the name after 128 characters",
                "whole name",
            ),
            "name-truncated-to-1024": Wrong(
                deploy(
                    "def lambda_handler(e, c):\n"
                    "    return {'greeting': 'Hello, ' + e['name'][:1024] + '!'}\n"
                ),
                "cuts the name after 1024 characters",
            ),
            # Learner trial 11 (AD17): greeter's own role, its trust policy then changed to
            # let EC2 assume it, not Lambda; the check passed. Lambda can't assume the role,
            # so on AWS the function can't run.
            "role-trust-no-longer-lambda": Wrong(
                deploy(GREETS).replace("execution_role()", "execution_role('greeter-trust')")
                + "import json\n"
                "boto3.client('iam').update_assume_role_policy(RoleName='greeter-trust', "
                "PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': "
                "'Allow', 'Principal': {'Service': 'ec2.amazonaws.com'}, "
                "'Action': 'sts:AssumeRole'}]}))\n",
                "`greeter-trust` doesn't let Lambda assume it",
                "lambda.amazonaws.com",
                "update_assume_role_policy",
            ),
            # Learner trial 11 (AD1): the handler zipped with `writestr(name, ...)`, which
            # gives the file the mode 600; on AWS Lambda can't read it (Permission denied).
            "zip-file-not-world-readable": Wrong(
                ZIP_WITH_MODES
                + deploy(GREETS).replace(
                    "zip_bytes({'lambda_function.py': SOURCE})", "zip_600('lambda_function.py')"
                ),
                "mode 600",
                "readable by all (644)",
                "0o644 << 16",
            ),
            # Learner trial 10 (UD16): an NFD name looks the same as the event's; the message
            # showed two identical-looking strings. It shows the code points now.
            "name-nfd-normalised": Wrong(
                deploy(
                    "import unicodedata\ndef lambda_handler(e, c):\n"
                    "    name = unicodedata.normalize('NFD', e['name'])\n"
                    "    return {'greeting': f'Hello, {name}!'}\n"
                ),
                "looks like",
                "U+0065",
                "Unicode normalisation",
            ),
            # Learner trial 13 (MD1): a "sanitising" handler strips punctuation; no name of the
            # check held a comma or period at every draw, so it passed one check in three.
            "punctuation-stripped-from-name": Wrong(
                deploy(
                    "import re\ndef lambda_handler(e, c):\n"
                    "    name = re.sub(r\"[^\\w\\s'-]\", '', e['name'])\n"
                    "    return {'greeting': f'Hello, {name}!'}\n"
                ),
                "the name lost `,` `.`",
                "punctuation included",
            ),
            # Learner trial 13 (MD1): `.rstrip('.')` passed every check (no name ended with `.`).
            "trailing-dot-stripped": Wrong(
                deploy(
                    "def lambda_handler(e, c):\n"
                    "    return {'greeting': f\"Hello, {e['name'].rstrip('.')}!\"}\n"
                ),
                "the name lost `.`",
            ),
            # Learner trial 13 (MD2): NFKC changes no name of the check's but `ĳ` (-> `ij`).
            "name-nfkc-normalised": Wrong(
                deploy(
                    "import unicodedata\ndef lambda_handler(e, c):\n"
                    "    name = unicodedata.normalize('NFKC', e['name'])\n"
                    "    return {'greeting': f'Hello, {name}!'}\n"
                ),
                "U+0133",
                "Unicode normalisation",
            ),
            # Learner trial 13 (MD2): letters outside Latin-1 dropped; only the long name held
            # one (`Łucja`, `Skłodowska`), now `ĳ` is in a short name at every check.
            "latin-1-name-dropped": Wrong(
                deploy(
                    "def lambda_handler(e, c):\n"
                    "    name = e['name'].encode('latin-1', 'ignore').decode('latin-1')\n"
                    "    return {'greeting': f'Hello, {name}!'}\n"
                ),
                "the name lost `ĳ`",
                "latin-1",
            ),
            # Learner trial 10 (UD7): `Greeter` was reported as "no function named `greeter`
            # yet. Create it": the near miss is named, as notebooks 00 and 04a do.
            "function-name-capitalised": Wrong(
                deploy(GREETS).replace('"greeter"', '"Greeter"'),
                "found: `Greeter`",
                "case-sensitive",
            ),
            # Learner trial 10 (UD7): greeter made with a client of another Region.
            "function-in-another-region": Wrong(
                deploy(GREETS).replace(
                    'boto3.client("lambda")', 'boto3.client("lambda", region_name="eu-west-1")'
                ),
                "found: `greeter` in `eu-west-1`",
                "belongs to one Region",
            ),
            # Learner trial 10 (UD22): greeter's role deleted after a right answer; the check
            # still passed. Lambda can't run a function as a role that is gone.
            "execution-role-deleted": Wrong(
                deploy(GREETS).replace("execution_role()", "execution_role('greeter-own-role')")
                + "iam = boto3.client('iam')\n"
                "for p in iam.list_attached_role_policies(RoleName='greeter-own-role')"
                "['AttachedPolicies']:\n"
                "    iam.detach_role_policy(RoleName='greeter-own-role',\n"
                "                           PolicyArn=p['PolicyArn'])\n"
                "iam.delete_role(RoleName='greeter-own-role')\n",
                "`greeter-own-role` doesn't exist any more",
            ),
            "extra-key": Wrong(
                deploy(
                    "def lambda_handler(e, c):\n"
                    "    return {'greeting': f\"Hello, {e['name']}!\", 'name': e['name']}\n"
                ),
                "extra key(s) `name`",
                "only key",
            ),
            # Learner trial 12 (GW3): the folder zipped, not its contents; the message said to
            # test the handler as a plain function, which passes. It names the folder now.
            "zip-in-subfolder": Wrong(
                deploy(GREETS).replace(
                    "zip_bytes({'lambda_function.py': SOURCE})",
                    "zip_bytes({'greeter/lambda_function.py': SOURCE})",
                ),
                "Runtime.ImportModuleError",
                "`greeter/lambda_function.py`, inside the folder `greeter/`",
                "top level",
            ),
            # Learner trial 12 (GD2): a KMS alias as `KMSKeyArn`; the kit took it and the check
            # passed. AWS refuses it (ValidationException, the KMSKeyArn pattern of
            # https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html), so there
            # is no greeter.
            "kms-alias-instead-of-arn": Wrong(
                deploy(GREETS).replace(
                    "Handler=",
                    "KMSKeyArn='alias/aws/lambda', "
                    "Environment={'Variables': {'GREETING': 'Hello'}},\n    Handler=",
                ),
                "no function named `greeter`",
                "create_function",
                raises="at 'kMSKeyArn' failed to satisfy constraint",
            ),
        },
        right={
            "app-module-and-get": deploy(
                "def handler(event, context):\n"
                "    name = event.get('name')\n"
                "    return dict(greeting='Hello, ' + name + '!')\n",
                handler="app.handler",
            ),
            # Learner trial 11 (AD1): a ZIP written with `writestr` whose file has the mode 644
            # (a ZipInfo of its own) is readable by all, as Lambda needs.
            "zip-file-mode-644": ZIP_WITH_MODES
            + deploy(GREETS).replace(
                "zip_bytes({'lambda_function.py': SOURCE})", "zip_644('lambda_function.py')"
            ),
            "newer-runtime-format": deploy(
                "def lambda_handler(event, context):\n"
                "    return {'greeting': 'Hello, {}!'.format(event['name'])}\n",
                runtime="python3.13",
            ),
        }
        | (
            # Learner trial 12 (GD1): quotes of the same kind inside an f-string's braces
            # (PEP 701, Python 3.12's syntax) under python3.12 were refused with
            # Runtime.UserCodeSyntaxError by the kit's 3.11. The kit runs a function on its
            # Runtime's Python when the machine has it (https://docs.aws.amazon.com/lambda/latest/dg/lambda-python.html:
            # python3.12 is Python 3.12); only then is this answer's ✅ the kit's to give.
            {
                "pep701-fstring-on-python3.12": deploy(
                    "def lambda_handler(event, context):\n"
                    '    return {"greeting": f"Hello, {event["name"]}!"}\n',
                    runtime="python3.12",
                )
            }
            if KIT_VERSION >= (3, 12) or find((3, 12)) is not None
            else {}
        ),
        broken="hard-coded-name",
    ),
    "q2": Answers(
        before=deploy(GREETS),
        wrong={
            "no-print": Wrong(update(GREETS), "no line with its greeting", "nothing of its own"),
            "prints-a-fixed-greeting": Wrong(
                update(
                    "def lambda_handler(event, context):\n    print('Hello, Ada!')\n"
                    "    return {'greeting': f\"Hello, {event['name']}!\"}\n"
                ),
                "no line with its greeting",
                "other line",
            ),
            "prints-the-event": Wrong(
                update(
                    "def lambda_handler(event, context):\n    print(event)\n"
                    "    return {'greeting': f\"Hello, {event['name']}!\"}\n"
                ),
                "no line with its greeting",
            ),
            "logging-below-its-level": Wrong(
                update(
                    "import logging\nlog = logging.getLogger()\n"
                    "def lambda_handler(event, context):\n"
                    "    greeting = f\"Hello, {event['name']}!\"\n    log.info(greeting)\n"
                    "    return {'greeting': greeting}\n"
                ),
                "no line with its greeting",
                "root logger's level is WARNING",
            ),
            # Learner trial 11 (AW2): basicConfig does nothing on Lambda (the root logger has a
            # handler already); the message said only to print. It names basicConfig now.
            "basicconfig-info": Wrong(
                update(
                    "import logging\nlogging.basicConfig(level=logging.INFO)\n"
                    "def lambda_handler(event, context):\n"
                    "    greeting = f\"Hello, {event['name']}!\"\n    logging.info(greeting)\n"
                    "    return {'greeting': greeting}\n"
                ),
                "no line with its greeting",
                "`logging.basicConfig(...)` does nothing on Lambda",
                "setLevel(logging.INFO)",
            ),
            "printed-as-json": Wrong(
                update(
                    "import json\ndef lambda_handler(event, context):\n"
                    "    result = {'greeting': f\"Hello, {event['name']}!\"}\n"
                    "    print(json.dumps(result))\n    return result\n"
                ),
                "escapes the accent",
            ),
            "prints-then-crashes": Wrong(
                update(
                    "def lambda_handler(event, context):\n"
                    "    print(f\"Hello, {event['name']}!\")\n    return {'greeting': greeting}\n"
                ),
                "failed with NameError",
            ),
            # Learner trial 9 (OD2): a role with no CloudWatch Logs rights passed, though on AWS
            # nothing the handler prints reaches its log group.
            "role-cannot-write-logs": Wrong(
                with_role("greeter-no-logs") + update(PRINTS),
                "`greeter-no-logs` doesn't allow",
                "`logs:CreateLogStream`, `logs:PutLogEvents`",
                "AWSLambdaBasicExecutionRole",
            ),
            # Learner trial 10 (UD2): AWSLambdaBasicExecutionRole attached, and an inline Deny
            # on logs:PutLogEvents; the check said to attach the managed policy, which can't
            # help. It names the Deny now.
            "explicit-deny-on-put-log-events": Wrong(
                update(PRINTS) + "import json\niam = boto3.client('iam')\n"
                "role = lam.get_function_configuration(FunctionName='greeter')['Role']\n"
                "iam.put_role_policy(RoleName=role.rsplit('/', 1)[-1], PolicyName='no-logs', "
                "PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': "
                "'Deny', 'Action': 'logs:PutLogEvents', 'Resource': '*'}]}))\n",
                "denies `logs:PutLogEvents`",
                "inline policy `no-logs`",
                "wins over any Allow",
            ),
            # Learner trial 10 (UD2): a Deny of everything but SQS (NotAction), as an SCP might.
            "deny-everything-but-sqs": Wrong(
                update(PRINTS) + "import json\niam = boto3.client('iam')\n"
                "role = lam.get_function_configuration(FunctionName='greeter')['Role']\n"
                "iam.put_role_policy(RoleName=role.rsplit('/', 1)[-1], PolicyName='only-sqs', "
                "PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': "
                "'Deny', 'NotAction': ['sqs:*'], 'Resource': '*'}]}))\n",
                "denies",
                "`logs:CreateLogStream`, `logs:PutLogEvents`",
                "inline policy `only-sqs`",
            ),
            # Learner trial 10 (UD10): a permissions boundary without CloudWatch Logs; the
            # check said the handler wrote nothing. It names the boundary now.
            "permissions-boundary-without-logs": Wrong(
                update(PRINTS) + "import json\niam = boto3.client('iam')\n"
                "role = lam.get_function_configuration(FunctionName='greeter')['Role']\n"
                "arn = iam.create_policy(PolicyName='team-boundary', PolicyDocument=json.dumps("
                "{'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 'sqs:*', "
                "'Resource': '*'}]}))['Policy']['Arn']\n"
                "iam.put_role_permissions_boundary(RoleName=role.rsplit('/', 1)[-1], "
                "PermissionsBoundary=arn)\n",
                "permissions boundary, `team-boundary`",
                "`logs:PutLogEvents`",
                "delete_role_permissions_boundary",
            ),
            # Learner trial 10 (UD3): JSON logs at ApplicationLogLevel ERROR drop the
            # handler's logger.info line; the check said the handler wrote nothing.
            "application-log-level-above-info": Wrong(
                "lam.update_function_configuration(FunctionName='greeter', "
                "LoggingConfig={'LogFormat': 'JSON', 'ApplicationLogLevel': 'ERROR'})\n"
                "lam.get_waiter('function_updated_v2').wait(FunctionName='greeter')\n"
                + update(
                    "import logging\nlogger = logging.getLogger()\nlogger.setLevel(logging.INFO)\n"
                    "def lambda_handler(event, context):\n"
                    "    greeting = f\"Hello, {event['name']}!\"\n    logger.info(greeting)\n"
                    "    return {'greeting': greeting}\n"
                ),
                "`ApplicationLogLevel` to `ERROR`",
                "'ApplicationLogLevel': 'INFO'",
            ),
            # Learner trial 12 (GD3): JSON log format at WARN, the greeting printed as a JSON
            # object without "level"; the kit kept it. AWS counts it as INFO and drops it
            # (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html).
            "json-print-without-level-at-warn": Wrong(
                "lam.update_function_configuration(FunctionName='greeter', "
                "LoggingConfig={'LogFormat': 'JSON', 'ApplicationLogLevel': 'WARN'})\n"
                "lam.get_waiter('function_updated_v2').wait(FunctionName='greeter')\n"
                + update(
                    "import json\n"
                    "def lambda_handler(event, context):\n"
                    "    greeting = f\"Hello, {event['name']}!\"\n"
                    "    print(json.dumps({'msg': greeting}, ensure_ascii=False))\n"
                    "    return {'greeting': greeting}\n"
                ),
                "`ApplicationLogLevel` to `WARN`",
                "or printed",
                "'ApplicationLogLevel': 'INFO'",
            ),
            # Learner trial 9 (OD4): the print replaced the return; greeter no longer greets.
            "print-replaced-return": Wrong(
                update(
                    "def lambda_handler(event, context):\n"
                    "    greeting = f\"Hello, {event['name']}!\"\n    print(greeting)\n"
                ),
                "no longer returns it",
                "Keep Question 1's `return`",
            ),
            # Learner trial 11 (AD3): a role whose log Resource is the group's ARN without `:*`
            # (it names the group, not its streams); the check blamed the handler, which
            # prints. It names the Resource now.
            "log-resource-without-stream-wildcard": Wrong(
                with_role(
                    "greeter-logs-tight",
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Action": [
                                    "logs:CreateLogGroup",
                                    "logs:CreateLogStream",
                                    "logs:PutLogEvents",
                                ],
                                "Resource": "arn:aws:logs:REGION:ACCOUNT:log-group:"
                                "/aws/lambda/greeter",
                            }
                        ],
                    },
                )
                + update(PRINTS),
                "`greeter-logs-tight` allows",
                "without `:*`",
                "/aws/lambda/greeter:*`",
            ),
            # Learner trial 13 (MD4): an Allow whose NotResource is greeter's log group (every
            # log but greeter's); the ❌ said to end a `Resource` it hasn't with `:*`.
            "log-allow-notresource-excludes-group": Wrong(
                with_role(
                    "greeter-logs-notres",
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Action": "logs:*",
                                "NotResource": "arn:aws:logs:*:*:log-group:/aws/lambda/greeter:*",
                            }
                        ],
                    },
                )
                + update(PRINTS),
                "the `NotResource` `arn:aws:logs:*:*:log-group:/aws/lambda/greeter:*`",
                "Replace `NotResource`",
            ),
            # Learner trial 13 (MW5): the new code sent with DryRun=True, which changes nothing.
            "code-updated-with-dry-run": Wrong(
                update(PRINTS).replace(
                    '"lambda_function.py": SOURCE}))',
                    '"lambda_function.py": SOURCE}), DryRun=True)',
                ),
                "no line with its greeting",
                "without `DryRun=True`",
            ),
            # Learner trial 9 (OD8): as in q1, reserved concurrency 0 is named, not a crash.
            "function-throttled-to-zero": Wrong(
                update(PRINTS) + "lam.put_function_concurrency(FunctionName='greeter', "
                "ReservedConcurrentExecutions=0)\n",
                "reserved concurrency of 0",
                "delete_function_concurrency",
            ),
        },
        right={
            # Learner trial 9 (OD19): a handler that refuses any key but `name` failed: the
            # check sent a `check` key of its own (and showed the event without it).
            "strict-event-validation": update(
                "def lambda_handler(event, context):\n"
                "    if set(event) != {'name'}:\n"
                "        raise ValueError(f'expected only a name, got {sorted(event)}')\n"
                "    greeting = f\"Hello, {event['name']}!\"\n    print(greeting)\n"
                "    return {'greeting': greeting}\n"
            ),
            "logger-at-info": update(
                "import logging\nlog = logging.getLogger()\nlog.setLevel(logging.INFO)\n"
                "def lambda_handler(event, context):\n"
                "    greeting = f\"Hello, {event['name']}!\"\n    log.info(greeting)\n"
                "    return {'greeting': greeting}\n"
            ),
            "json-line": update(
                "import json\ndef lambda_handler(event, context):\n"
                "    result = {'greeting': f\"Hello, {event['name']}!\"}\n"
                "    print(json.dumps(result, ensure_ascii=False))\n    return result\n"
            ),
            # A learner trial: the JSON log format, with the logger at INFO.
            "json-log-format": "lam.update_function_configuration(FunctionName='greeter', "
            "LoggingConfig={'LogFormat': 'JSON', 'ApplicationLogLevel': 'INFO'})\n"
            "lam.get_waiter('function_updated_v2').wait(FunctionName='greeter')\n"
            + update(
                "import logging\nlogger = logging.getLogger()\n"
                "def lambda_handler(event, context):\n"
                "    greeting = f\"Hello, {event['name']}!\"\n    logger.info(greeting)\n"
                "    return {'greeting': greeting}\n"
            ),
            # Learner trial 9 (OD3): a custom log group (LoggingConfig.LogGroup) was refused,
            # told the function wrote nothing: the check read /aws/lambda/greeter. It reads the
            # function's own log group now.
            "custom-log-group": "import boto3\n"
            "boto3.client('logs').create_log_group(logGroupName='/greetings/greeter')\n"
            "lam.update_function_configuration(FunctionName='greeter', "
            "LoggingConfig={'LogFormat': 'Text', 'LogGroup': '/greetings/greeter'})\n"
            "lam.get_waiter('function_updated_v2').wait(FunctionName='greeter')\n" + update(PRINTS),
            # Learner trial 9 (OD2): a least-privilege role of its own, as AWS's operator guide
            # writes it: a role may write the function's log without AWS's managed policy.
            "least-privilege-log-role": with_role(
                "greeter-logs-only",
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": "logs:CreateLogGroup",
                            "Resource": "arn:aws:logs:REGION:ACCOUNT:*",
                        },
                        {
                            "Effect": "Allow",
                            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                            "Resource": "arn:aws:logs:REGION:ACCOUNT:log-group:"
                            "/aws/lambda/greeter:*",
                        },
                    ],
                },
            )
            + update(PRINTS),
        },
        broken="no-print",
    ),
}

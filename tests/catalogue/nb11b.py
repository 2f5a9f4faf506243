"""Notebook 11b: q1 a least-privilege role for db-reader; q2 a 25% canary on checkout:live."""

from helpers.exercises.nb11b_secrets_releases_and_roles import _READER_SOLUTION
from tests.catalogue import Answers, Wrong

# ------------------------------------------------------------------ q1: least privilege
READER = '''
import json

import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

ssm = boto3.client("ssm")
iam = boto3.client("iam")
lam = boto3.client("lambda")
ssm.put_parameter(Name="/app/db-url", Value="postgresql://db.internal:5432/app",
                  Type="SecureString", Overwrite=True)
role_arn = execution_role("db-reader-role")
for name in iam.list_role_policies(RoleName="db-reader-role")["PolicyNames"]:
    iam.delete_role_policy(RoleName="db-reader-role", PolicyName=name)
source = """
import boto3

ssm = boto3.client("ssm")
DB_URL = ssm.get_parameter(Name="/app/db-url", WithDecryption=True)["Parameter"]["Value"]


def handler(event, context):
    return {"db_url": DB_URL}
"""
try:
    lam.delete_function(FunctionName="db-reader")
except lam.exceptions.ResourceNotFoundException:
    pass
lam.create_function(FunctionName="db-reader", Runtime="python3.13", Role=role_arn,
                    Handler="app.handler", Code={"ZipFile": zip_bytes({"app.py": source})})
lam.get_waiter("function_active_v2").wait(FunctionName="db-reader")
ARN = "arn:aws:ssm:us-east-1:123456789012:parameter/app/db-url"


def grant(*statements, name="read-db-url"):
    iam.put_role_policy(RoleName="db-reader-role", PolicyName=name, PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": list(statements)}))
'''


def reader(body: str) -> str:
    return READER + body


HARD_CODED = """
source = "def handler(event, context):\\n    return {'db_url': 'postgresql://db.internal:5432/app'}\\n"
lam.update_function_code(FunctionName="db-reader", ZipFile=zip_bytes({"app.py": source}))
lam.get_waiter("function_updated_v2").wait(FunctionName="db-reader")
"""

EXACT = '{"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": ARN}'

# --------------------------------------------------------------------- q2: the canary
CHECKOUT = '''
import json
import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")
release_1 = """
def handler(event, context):
    total = sum(item["price"] * item["quantity"] for item in event.get("items", []))
    return {"total": total}
"""
release_2 = """
def handler(event, context):
    total = sum(item["price"] * item["quantity"] for item in event.get("items", []))
    return {"total": total, "free_shipping": total >= 50}
"""
try:
    lam.delete_function(FunctionName="checkout")
except lam.exceptions.ResourceNotFoundException:
    pass
lam.create_function(FunctionName="checkout", Runtime="python3.13", Role=execution_role(),
                    Handler="app.handler", Code={"ZipFile": zip_bytes({"app.py": release_1})})
lam.get_waiter("function_active_v2").wait(FunctionName="checkout")
v1 = lam.publish_version(FunctionName="checkout")["Version"]
lam.create_alias(FunctionName="checkout", Name="live", FunctionVersion=v1)


def publish(source):
    lam.update_function_code(FunctionName="checkout", ZipFile=zip_bytes({"app.py": source}))
    lam.get_waiter("function_updated_v2").wait(FunctionName="checkout")
    return lam.publish_version(FunctionName="checkout")["Version"]


v2 = publish(release_2)


def route(main, weights=None):
    lam.update_alias(FunctionName="checkout", Name="live", FunctionVersion=main,
                     RoutingConfig={"AdditionalVersionWeights": weights or {}})
'''


def checkout(body: str) -> str:
    return CHECKOUT + body


ANSWERS = {
    "q1": Answers(
        wrong={
            # Learner trial 6: the trust policy's Principal pasted into the role's own policy,
            # which IAM refuses (MalformedPolicyDocument): the role gets no right at all.
            "principal-in-the-roles-policy": Wrong(
                reader(
                    'grant({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},\n'
                    '       "Action": "ssm:GetParameter", "Resource": ARN})\n'
                ),
                "AccessDenied",
                "ssm:GetParameter",
                raises="should not specify a principal",
            ),
            "missing-permission": Wrong(reader(""), "AccessDenied", "ssm:GetParameter"),
            # Learner trial 13 (PD7): the secret deleted and put back as a plain String, then the
            # exact right: it passed, the URL stored unencrypted.
            "parameter-recreated-as-plain-string": Wrong(
                reader(
                    "ssm.delete_parameter(Name='/app/db-url')\n"
                    "ssm.put_parameter(Name='/app/db-url', "
                    "Value='postgresql://db.internal:5432/app', Type='String')\n"
                    f"grant({EXACT})\n"
                ),
                "is now a `String` parameter",
                "Type='SecureString'",
            ),
            # Learner trial 13 (PD12): "exactly the right it needs" read as "nothing else": the
            # logging policy detached too. It passed, its ✅ saying "besides writing its logs".
            "logging-policy-removed-too": Wrong(
                reader(
                    f"grant({EXACT})\n"
                    "iam.detach_role_policy(RoleName='db-reader-role', PolicyArn="
                    "'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')\n"
                ),
                "doesn't let `db-reader` write its logs",
                "AWSLambdaBasicExecutionRole",
            ),
            # Learner trial 13 (PW2): a broad first try left beside the exact policy: the
            # message didn't say which policy holds the wildcard.
            "leftover-first-try-policy": Wrong(
                reader(
                    f"grant({EXACT})\n"
                    'grant({"Effect": "Allow", "Action": "ssm:*", "Resource": "*"}, '
                    'name="read-db-url-try1")\n'
                ),
                "`ssm:*` is a wildcard",
                "inline policy `read-db-url-try1`",
            ),
            # Learner trial 13 (PW7): the ARN with two slashes (`parameter/` + the name's own
            # `/`): only the generic advice ("give the role a statement ...") was given.
            "double-slash-arn": Wrong(
                reader(
                    'grant({"Effect": "Allow", "Action": "ssm:GetParameter", '
                    '"Resource": ARN.replace("parameter/", "parameter//")})\n'
                ),
                "AccessDenied",
                "parameter//app/db-url",
                "one slash",
            ),
            # Learner trial 12 (JD8): the exact statement, and a permissions boundary that
            # allows only logging: the boundary refuses the read. The advice asked for the
            # statement the role already has; it now names the boundary.
            "permissions-boundary-without-the-action": Wrong(
                reader(
                    f"grant({EXACT})\n"
                    "boundary = iam.create_policy(PolicyName='logs-only-boundary', "
                    "PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{\n"
                    "    'Effect': 'Allow', 'Action': ['logs:CreateLogGroup', "
                    "'logs:CreateLogStream', 'logs:PutLogEvents'], 'Resource': '*'}]}))\n"
                    "iam.put_role_permissions_boundary(RoleName='db-reader-role', "
                    "PermissionsBoundary=boundary['Policy']['Arn'])\n"
                ),
                "no permissions boundary allows",
                "permissions boundary `logs-only-boundary` doesn't allow it",
                "delete_role_permissions_boundary",
            ),
            # Learner trial 12 (JD8): the exact statement, and a leftover inline policy that
            # denies `ssm:Get*` on /app/*: the explicit Deny wins. The advice asked for an Allow.
            "explicit-deny-in-another-policy": Wrong(
                reader(
                    f"grant({EXACT})\n"
                    "grant({'Effect': 'Deny', 'Action': 'ssm:Get*', "
                    "'Resource': ARN.rsplit('/', 1)[0] + '/*'}, name='guardrail')\n"
                ),
                "explicit deny",
                "inline policy `guardrail`",
                "Remove the Deny",
            ),
            # Learner trial 12 (JD6): the check run after a kernel restart, the answer not run
            # again: the kit's local AWS starts empty, and the message says so (harness's).
            "checked-after-kernel-restart": Wrong(
                "import helpers\naws = helpers.start()\n",
                "no function named `db-reader`",
                "starts empty after a kernel restart",
            ),
            # Learner trial 10 (XD10): the policy's name reused as its Sid; IAM takes only
            # letters and digits, refuses the policy, and the role gets no right. The kit
            # accepted it (✅).
            "sid-with-hyphen": Wrong(
                reader(
                    'grant({"Sid": "read-db-url", "Effect": "Allow",\n'
                    '       "Action": "ssm:GetParameter", "Resource": ARN})\n'
                ),
                "AccessDenied",
                "ssm:GetParameter",
                raises="must be alpha-numeric",
            ),
            # Learner trial 10 (XD10): a Sid with spaces, refused the same way.
            "sid-with-spaces": Wrong(
                reader(
                    'grant({"Sid": "Read db url", "Effect": "Allow",\n'
                    '       "Action": "ssm:GetParameter", "Resource": ARN})\n'
                ),
                "AccessDenied",
                "ssm:GetParameter",
                raises="must be alpha-numeric",
            ),
            # Learner trial 10 (XW3): the plural action, another one; the near miss is named.
            "get-parameters-plural": Wrong(
                reader(
                    'grant({"Effect": "Allow", "Action": "ssm:GetParameters", "Resource": ARN})\n'
                ),
                "AccessDenied",
                "allows `ssm:GetParameters` on that parameter",
                "another action",
            ),
            # Found by a learner trial: IAM refuses the name, so the role gets no policy.
            "policy-name-with-spaces": Wrong(
                reader(f"grant({EXACT}, name='read db url')\n"),
                "AccessDenied",
                "ssm:GetParameter",
                raises="The specified value for policyName is invalid",
            ),
            "wildcard-action": Wrong(
                reader(
                    'grant({"Effect": "Allow", "Action": "ssm:GetParameter*", "Resource": ARN})\n'
                ),
                "`ssm:GetParameter*` is a wildcard",
            ),
            # A learner trial: "to be sure", a Deny of everything else; it denies the logs too.
            "deny-everything-else": Wrong(
                reader(
                    f"grant({EXACT},\n"
                    '      {"Effect": "Deny", "NotAction": "ssm:GetParameter", "Resource": "*"})\n'
                ),
                "Deny statement",
                "logs:PutLogEvents",
            ),
            "extra-kms-decrypt": Wrong(
                reader(
                    f"grant({EXACT},\n"
                    '      {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"})\n'
                ),
                "`kms:Decrypt` is not needed",
                "aws/ssm",
            ),
            "wildcard-region-and-account": Wrong(
                reader(
                    'grant({"Effect": "Allow", "Action": "ssm:GetParameter",\n'
                    '       "Resource": "arn:aws:ssm:*:*:parameter/app/db-url"})\n'
                ),
                "wildcard resource",
                "arn:aws:ssm:*:*:parameter/app/db-url",
            ),
            "every-parameter": Wrong(
                reader(
                    'grant({"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "*"})\n'
                ),
                "wildcard resource",
            ),
            "path-wildcard": Wrong(
                reader(
                    'grant({"Effect": "Allow", "Action": "ssm:GetParameter",\n'
                    '       "Resource": "arn:aws:ssm:us-east-1:123456789012:parameter/app/*"})\n'
                ),
                "wildcard resource",
            ),
            "extra-action": Wrong(
                reader(
                    'grant({"Effect": "Allow", "Action": ["ssm:GetParameter", '
                    '"ssm:GetParameters"], "Resource": ARN})\n'
                ),
                "`ssm:GetParameters` is not needed",
            ),
            "managed-read-only": Wrong(
                reader(
                    "iam.attach_role_policy(RoleName='db-reader-role',\n"
                    "    PolicyArn='arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess')\n"
                ),
                "AmazonSSMReadOnlyAccess",
            ),
            # Gives up on reading the parameter: the URL is written into the handler.
            "hard-coded-url": Wrong(
                reader(f"grant({EXACT})\n" + HARD_CODED), "value of its own", "ssm.get_parameter"
            ),
            "hard-coded-url-no-policy": Wrong(
                reader(HARD_CODED), "does not allow `ssm:GetParameter`", "value of its own"
            ),
            # Learner trial 7: the exact statement, with a company's "only from the office
            # network" condition: a function's calls never come from there (the message used to
            # say to add a statement for that action, which it has).
            "source-ip-condition-never-holds": Wrong(
                reader(
                    'grant({"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": ARN,\n'
                    '       "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}})\n'
                ),
                "AccessDenied",
                "`IpAddress` on `aws:SourceIp`",
                "Remove the Condition",
            ),
            "stale-warm-environment": Wrong(
                reader(
                    f"grant({EXACT})\n"
                    "lam.invoke(FunctionName='db-reader')['Payload'].read()  # warm, value cached\n"
                    "iam.delete_role_policy(RoleName='db-reader-role', PolicyName='read-db-url')\n"
                ),
                "does not allow `ssm:GetParameter`",
            ),
        },
        right={
            # Learner trial 13 (PD12): the logging policy detached, then the solution's code:
            # `execution_role("db-reader-role")` attached nothing to the existing role, and the
            # role still could not write its logs. The solution now attaches it again.
            "logging-policy-removed-then-solution": reader(
                f"grant({EXACT})\n"
                "iam.detach_role_policy(RoleName='db-reader-role', PolicyArn="
                "'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')\n"
            )
            + _READER_SOLUTION,
            # Learner trial 13 (PD12): the managed logging policy replaced by statements on the
            # function's own log group (`:*`, as IAM names a log group): the logging rights kept.
            "logging-rights-on-own-log-group": reader(
                f"grant({EXACT})\n"
                "LG = ARN.replace(':ssm:', ':logs:').split(':parameter/')[0] + "
                "':log-group:/aws/lambda/db-reader:*'\n"
                "grant({'Effect': 'Allow', 'Action': ['logs:CreateLogGroup', "
                "'logs:CreateLogStream', 'logs:PutLogEvents'], 'Resource': LG}, name='logs')\n"
                "iam.detach_role_policy(RoleName='db-reader-role', PolicyArn="
                "'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')\n"
            ),
            # A learner trial: the exact statement, narrowed further to the kit's Region.
            "region-condition": reader(
                'grant({"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": ARN,\n'
                '       "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}})\n'
            ),
            # Learner trial 6: the exact statement, for this role only.
            "principal-arn-condition": reader(
                'grant({"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": ARN,\n'
                '       "Condition": {"ArnEquals": {"aws:PrincipalArn":\n'
                "           f\"arn:aws:iam::{ARN.split(':')[4]}:role/db-reader-role\"}}})\n"
            ),
            # Learner trial 7 (F D7): the exact statement, for this role's id and the session
            # Lambda names after the function.
            "userid-condition": reader(
                "role_id = iam.get_role(RoleName='db-reader-role')['Role']['RoleId']\n"
                'grant({"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": ARN,\n'
                '       "Condition": {"StringEquals": {"aws:userid": f"{role_id}:db-reader"}}})\n'
            ),
            # Learner trial 5: HTTPS only, a common best practice; boto3 always uses it.
            "secure-transport-condition": reader(
                'grant({"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": ARN,\n'
                '       "Condition": {"Bool": {"aws:SecureTransport": "true"}}})\n'
            ),
            "lists-and-lower-case": reader(
                'grant({"Sid": "ReadDbUrl", "Effect": "Allow", "Action": ["SSM:getParameter"],\n'
                '       "Resource": [ARN]}, name="db-config")\n'
            ),
            "customer-managed-policy": reader(
                "document = json.dumps({'Version': '2012-10-17', 'Statement': [" + EXACT + "]})\n"
                "try:\n"
                "    policy_arn = iam.create_policy(PolicyName='read-db-url',\n"
                "                                   PolicyDocument=document)['Policy']['Arn']\n"
                "except iam.exceptions.EntityAlreadyExistsException:\n"
                "    policy_arn = 'arn:aws:iam::123456789012:policy/read-db-url'\n"
                "iam.attach_role_policy(RoleName='db-reader-role', PolicyArn=policy_arn)\n"
            ),
            "two-statements-same-right": reader(f"grant({EXACT}, {EXACT})\n"),
            # Learner trial 9 (RD4): a right answer checked twice. The check's probe (a value it
            # gives the parameter for a moment) stayed in the warm environment that read it at
            # init, and the second check got it back from its first invoke: ❌ "returned ...".
            "right-checked-twice": reader(
                f"grant({EXACT})\n"
                "from helpers.exercises import notebook_11b\n"
                "first = notebook_11b.q1.check()\n"
                "assert first.passed, first.message\n"
            ),
            # Learner trial 9 (RD4): a broad statement, checked (❌), then the exact one under the
            # same policy name: the second check met the first one's probe value, as above.
            "wrong-then-right-same-policy-name": reader(
                'grant({"Effect": "Allow", "Action": "ssm:Get*", "Resource": "*"})\n'
                "from helpers.exercises import notebook_11b\n"
                "first = notebook_11b.q1.check()\n"
                "assert not first.passed, first.message\n"
                f"grant({EXACT})\n"
            ),
            # Learner trial 9 (RD5): the exact statement, for calls made from within db-reader's
            # own execution environment (lambda:SourceFunctionArn, the key AWS made for this:
            # https://docs.aws.amazon.com/lambda/latest/dg/permissions-source-function-arn.html).
            "source-function-arn-condition": reader(
                'grant({"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": ARN,\n'
                '       "Condition": {"ArnEquals": {"lambda:SourceFunctionArn":\n'
                '           "arn:aws:lambda:us-east-1:123456789012:function:db-reader"}}})\n'
            ),
            # Learner trial 9 (RD8): the exact ARN, its account written as a policy variable,
            # which IAM reads in Version 2012-10-17 policies: still one parameter, no wildcard.
            "policy-variable-account-in-resource": reader(
                'grant({"Effect": "Allow", "Action": "ssm:GetParameter", "Resource":\n'
                '       "arn:aws:ssm:us-east-1:${aws:PrincipalAccount}:parameter/app/db-url"})\n'
            ),
            # Learner trial 10 (XD6): only for calls that come through no VPC endpoint
            # (aws:SourceVpc absent: Null is true); the kit didn't know `Null`.
            "null-sourcevpc-condition": reader(
                'grant({"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": ARN,\n'
                '       "Condition": {"Null": {"aws:SourceVpc": "true"}}})\n'
            ),
            # Learner trial 10 (XD6): not from a documentation range; the kit didn't know
            # `NotIpAddress`.
            "not-ip-address-condition": reader(
                'grant({"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": ARN,\n'
                '       "Condition": {"NotIpAddress": {"aws:SourceIp": "198.51.100.0/24"}}})\n'
            ),
            # Learner trial 10 (XD6): not in eu-west-1, whatever the case; the kit didn't know
            # `StringNotEqualsIgnoreCase`.
            "string-not-equals-ignore-case-condition": reader(
                'grant({"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": ARN,\n'
                '       "Condition": {"StringNotEqualsIgnoreCase":\n'
                '                     {"aws:RequestedRegion": "eu-west-1"}}})\n'
            ),
            # Learner trial 10 (XD9): a negated operator on a key the request lacks is true
            # (condition operators' page, "Important" box); the kit made it false.
            "not-equals-absent-vpce-condition": reader(
                'grant({"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": ARN,\n'
                '       "Condition": {"StringNotEquals":\n'
                '                     {"aws:SourceVpce": "vpce-0123456789abcdef0"}}})\n'
            ),
            # Learner trial 10 (XD13): global keys every role session's call carries; the kit
            # didn't set them (aws:PrincipalType, aws:ViaAWSService, aws:ResourceAccount).
            "principal-type-assumed-role-condition": reader(
                'grant({"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": ARN,\n'
                '       "Condition": {"StringEquals": {"aws:PrincipalType": "AssumedRole"}}})\n'
            ),
            "via-aws-service-false-condition": reader(
                'grant({"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": ARN,\n'
                '       "Condition": {"Bool": {"aws:ViaAWSService": "false"}}})\n'
            ),
            "resource-account-condition": reader(
                'grant({"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": ARN,\n'
                '       "Condition": {"StringEquals": {"aws:ResourceAccount": "123456789012"}}})\n'
            ),
        },
        broken="extra-kms-decrypt",
    ),
    "q2": Answers(
        wrong={
            "no-canary": Wrong(checkout(""), "no canary"),
            # Learner trial 10 (XW4): the routing put on a new alias, `canary`; callers invoke
            # `live`, which still sends everything to version 1.
            "canary-on-a-new-alias": Wrong(
                checkout(
                    'lam.create_alias(FunctionName="checkout", Name="canary", FunctionVersion=v1,\n'
                    '                 RoutingConfig={"AdditionalVersionWeights": {v2: 0.25}})\n'
                ),
                "no canary",
                "Alias `canary` has a canary routing",
                "`checkout:live`",
            ),
            "backwards": Wrong(checkout("route(v2, {v1: 0.25})\n"), "other way round"),
            # 25% does reach release 2, but production is the extra weight (a learner trial).
            "backwards-with-the-right-share": Wrong(
                checkout("route(v2, {v1: 0.75})\n"), "does send 25%", "wrong way round"
            ),
            "half": Wrong(checkout("route(v1, {v2: 0.5})\n"), "50%", "0.25"),
            "three-quarters": Wrong(checkout("route(v1, {v2: 0.75})\n"), "75%"),
            # Found by a learner trial: the message rounded the share to 2%.
            "decimal-slip": Wrong(checkout("route(v1, {v2: 0.025})\n"), "sends 2.5% of"),
            "all-to-new": Wrong(checkout("route(v2)\n"), "release 2"),
            # Trial 7 (F D8): release 2 published under another role. AWS refuses the routing.
            "canary-across-roles": Wrong(
                checkout(
                    "import json\nfrom helpers.iam import TRUST_POLICY\n"
                    "iam = boto3.client('iam')\n"
                    "other = iam.create_role(RoleName='checkout-v3-role',\n"
                    "    AssumeRolePolicyDocument=json.dumps(TRUST_POLICY))['Role']['Arn']\n"
                    "lam.update_function_configuration(FunctionName='checkout', Role=other)\n"
                    "lam.get_waiter('function_updated_v2').wait(FunctionName='checkout')\n"
                    "v3 = publish(release_2 + '\\n# under its own role\\n')\n"
                    "route(v1, {v3: 0.25})\n"
                ),
                "no canary",
                raises="same execution role",
            ),
            # Trial 8 (K D5): release 2 republished with a dead-letter queue. AWS refuses the
            # routing: both versions need the same dead-letter queue configuration, or none.
            "canary-across-dead-letter-queues": Wrong(
                checkout(
                    "sqs = boto3.client('sqs')\n"
                    "dlq = sqs.get_queue_attributes(QueueUrl=sqs.create_queue(\n"
                    "    QueueName='checkout-dlq')['QueueUrl'], AttributeNames=['QueueArn'])\n"
                    "iam = boto3.client('iam')\n"
                    "role = lam.get_function_configuration(FunctionName='checkout')['Role']\n"
                    "iam.put_role_policy(RoleName=role.rsplit('/', 1)[-1], PolicyName='dlq',\n"
                    "    PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{\n"
                    "        'Effect': 'Allow', 'Action': 'sqs:SendMessage',\n"
                    "        'Resource': dlq['Attributes']['QueueArn']}]}))\n"
                    "lam.update_function_configuration(FunctionName='checkout',\n"
                    "    DeadLetterConfig={'TargetArn': dlq['Attributes']['QueueArn']})\n"
                    "lam.get_waiter('function_updated_v2').wait(FunctionName='checkout')\n"
                    "v3 = publish(release_2 + '\\n# with its dead-letter queue\\n')\n"
                    "route(v1, {v3: 0.25})\n"
                ),
                "no canary",
                raises="same dead-letter queue configuration",
            ),
            # Trial 7 (F D9): the second update reuses the first one's RevisionId.
            "stale-revision-id": Wrong(
                checkout(
                    "rev = lam.get_alias(FunctionName='checkout', Name='live')['RevisionId']\n"
                    "for share in (0.1, 0.25):\n"
                    "    lam.update_alias(FunctionName='checkout', Name='live', RevisionId=rev,\n"
                    "        RoutingConfig={'AdditionalVersionWeights': {v2: share}})\n"
                ),
                "10%",
                raises="Revision Id provided does not match",
            ),
            # Learner trial 12 (JD6): the check run after a kernel restart, the answer not run
            # again: the kit's local AWS starts empty, and the message says so (harness's).
            "checked-after-kernel-restart": Wrong(
                "import helpers\naws = helpers.start()\n",
                "no function named `checkout`",
                "starts empty after a kernel restart",
            ),
            "canary-on-old-code": Wrong(
                checkout("v3 = publish(release_1)\nroute(v1, {v3: 0.25})\n"),
                "runs release 1",
            ),
            "broken-release": Wrong(
                checkout(
                    "v3 = publish(release_2.replace('event.get(\"items\", [])', "
                    "'event[\"cart\"]'))\nroute(v1, {v3: 0.25})\n"
                ),
                "KeyError",
                "rolled back",
            ),
        },
        right={
            "create-alias-anew": checkout(
                "lam.delete_alias(FunctionName='checkout', Name='live')\n"
                "lam.create_alias(FunctionName='checkout', Name='live', FunctionVersion=v1,\n"
                "                 RoutingConfig={'AdditionalVersionWeights': {v2: 1 / 4}})\n"
            ),
            "release-2-republished": checkout(
                "v3 = publish(release_2 + '\\n# same release, published again\\n')\n"
                "route(v1, {v3: 0.25})\n"
            ),
        },
        broken="no-canary",
    ),
}

"""Notebook 02, q1: counter's alias `live` on the older of two versions, 25% to the newer."""

from tests.catalogue import Answers, Wrong

SETUP = """
import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

lam = boto3.client("lambda")
try:
    lam.delete_function(FunctionName="counter")
except lam.exceptions.ResourceNotFoundException:
    pass
def release(n):
    return zip_bytes({"app.py": f"def handler(e, c):\\n    return {{'release': {n}}}\\n"})
lam.create_function(FunctionName="counter", Runtime="python3.12", Role=execution_role(),
                    Handler="app.handler", Code={"ZipFile": release(1)})
lam.get_waiter("function_active_v2").wait(FunctionName="counter")
def new_version(n):
    lam.update_function_code(FunctionName="counter", ZipFile=release(n))
    lam.get_waiter("function_updated_v2").wait(FunctionName="counter")
    return lam.publish_version(FunctionName="counter")["Version"]
"""


def cell(body: str) -> str:
    return SETUP + body


ANSWERS = {
    "q1": Answers(
        wrong={
            "no-alias": Wrong(
                cell("v1 = new_version(1)\nv2 = new_version(2)\n"), "no alias `live`"
            ),
            "on-latest": Wrong(
                cell(
                    "v1 = new_version(1)\nlam.create_alias(FunctionName='counter', Name='live', "
                    "FunctionVersion='$LATEST')\n"
                ),
                "`$LATEST`",
                "published",
            ),
            "canary-backwards": Wrong(
                cell(
                    "v1 = new_version(1)\nv2 = new_version(2)\n"
                    "lam.create_alias(FunctionName='counter', Name='live', FunctionVersion=v2, "
                    "RoutingConfig={'AdditionalVersionWeights': {v1: 0.25}})\n"
                ),
                "older one",
            ),
            "half-not-quarter": Wrong(
                cell(
                    "v1 = new_version(1)\nv2 = new_version(2)\n"
                    "lam.create_alias(FunctionName='counter', Name='live', FunctionVersion=v1, "
                    "RoutingConfig={'AdditionalVersionWeights': {v2: 0.5}})\n"
                ),
                "50%",
                "25%",
            ),
            # Trial 7 (E D1): the first upload's hash given to the second publish as well. AWS
            # refuses the publish (the hash is no longer $LATEST's), so no version 2, no canary.
            "publish-with-stale-code-sha": Wrong(
                cell(
                    "sha = lam.get_function_configuration(FunctionName='counter')['CodeSha256']\n"
                    "v1 = lam.publish_version(FunctionName='counter', CodeSha256=sha)['Version']\n"
                    "lam.update_function_code(FunctionName='counter', ZipFile=release(2))\n"
                    "lam.get_waiter('function_updated_v2').wait(FunctionName='counter')\n"
                    "try:\n"
                    "    v2 = lam.publish_version(FunctionName='counter',\n"
                    "                             CodeSha256=sha)['Version']\n"
                    "except lam.exceptions.InvalidParameterValueException as e:\n"
                    "    print(e)\n"
                    "    v2 = '2'\n"
                    "lam.create_alias(FunctionName='counter', Name='live', FunctionVersion=v1)\n"
                    "try:\n"
                    "    lam.update_alias(FunctionName='counter', Name='live', "
                    "RoutingConfig={'AdditionalVersionWeights': {v2: 0.25}})\n"
                    "except lam.exceptions.ResourceNotFoundException as e:\n"
                    "    print(e)\n"
                ),
                "all traffic",
            ),
            "no-routing": Wrong(
                cell(
                    "v1 = new_version(1)\nv2 = new_version(2)\n"
                    "lam.create_alias(FunctionName='counter', Name='live', FunctionVersion=v1)\n"
                ),
                "all traffic",
            ),
            # Learner trial 9 (OD7): a right canary, then reserved concurrency 0 (section 8's
            # off switch). It applies to the function as a whole, versions included
            # (PutFunctionConcurrency), so `live` serves nothing; the kit served versions and
            # aliases, and the check passed. The kit now throttles them; the check names it.
            "reserved-concurrency-zero-left-on": Wrong(
                cell(
                    "v1 = new_version(1)\nv2 = new_version(2)\n"
                    "lam.create_alias(FunctionName='counter', Name='live', FunctionVersion=v1, "
                    "RoutingConfig={'AdditionalVersionWeights': {v2: 0.25}})\n"
                    "lam.put_function_concurrency(FunctionName='counter', "
                    "ReservedConcurrentExecutions=0)\n"
                ),
                "reserved concurrency of 0",
                "every invocation of `live` is throttled",
                "delete_function_concurrency",
            ),
            # Learner trial 10 (UD7): an alias `Live` was reported as "no alias `live` yet";
            # the near miss is named (alias names are case-sensitive).
            "alias-name-capitalised": Wrong(
                cell(
                    "v1 = new_version(1)\nv2 = new_version(2)\n"
                    "lam.create_alias(FunctionName='counter', Name='Live', FunctionVersion=v1, "
                    "RoutingConfig={'AdditionalVersionWeights': {v2: 0.25}})\n"
                ),
                "found: `Live`",
                "case-sensitive",
            ),
            # Learner trial 10 (UD7): the function made as `Counter`.
            "function-name-capitalised": Wrong(
                cell(
                    "lam.delete_function(FunctionName='counter')\n"
                    "lam.create_function(FunctionName='Counter', Runtime='python3.12', "
                    "Role=execution_role(), Handler='app.handler', "
                    "Code={'ZipFile': release(1)})\n"
                ),
                "found: `Counter`",
                "case-sensitive",
            ),
            # Learner trial 10 (UD22): a right canary whose versions' role is deleted passed;
            # Lambda can't run a version as a role that is gone.
            "execution-role-deleted": Wrong(
                SETUP.replace("execution_role()", "execution_role('counter-own-role')")
                + "v1 = new_version(1)\nv2 = new_version(2)\n"
                "lam.create_alias(FunctionName='counter', Name='live', FunctionVersion=v1, "
                "RoutingConfig={'AdditionalVersionWeights': {v2: 0.25}})\n"
                "iam = boto3.client('iam')\n"
                "for p in iam.list_attached_role_policies(RoleName='counter-own-role')"
                "['AttachedPolicies']:\n"
                "    iam.detach_role_policy(RoleName='counter-own-role',\n"
                "                           PolicyArn=p['PolicyArn'])\n"
                "iam.delete_role(RoleName='counter-own-role')\n",
                "`counter-own-role`, which doesn't exist any more",
            ),
            # Learner trial 13 (MD10): a right canary whose role no longer trusts Lambda passed
            # (nb01 q1 already refused it); Lambda can't assume the role to run a version.
            "role-trust-no-longer-lambda": Wrong(
                SETUP.replace("execution_role()", "execution_role('counter-own-role')")
                + "v1 = new_version(1)\nv2 = new_version(2)\n"
                "lam.create_alias(FunctionName='counter', Name='live', FunctionVersion=v1, "
                "RoutingConfig={'AdditionalVersionWeights': {v2: 0.25}})\n"
                "import json\n"
                "boto3.client('iam').update_assume_role_policy(RoleName='counter-own-role', "
                "PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': "
                "'Allow', 'Principal': {'Service': 'ec2.amazonaws.com'}, "
                "'Action': 'sts:AssumeRole'}]}))\n",
                "`counter-own-role` doesn't let Lambda assume it",
                "update_assume_role_policy",
            ),
            # Learner trial 10 (UW3): published twice without a change, so version 1 twice.
            # Learner trial 11 (AD4): AWS refuses the alias that routes to its own main
            # version at the call ("Function version 1 is already included in routing
            # configuration"), and so does the kit; the check then finds no alias.
            "published-twice-without-a-change": Wrong(
                cell(
                    "v1 = lam.publish_version(FunctionName='counter')['Version']\n"
                    "v2 = lam.publish_version(FunctionName='counter')['Version']\n"
                    "lam.create_alias(FunctionName='counter', Name='live', FunctionVersion=v1, "
                    "RoutingConfig={'AdditionalVersionWeights': {v2: 0.25}})\n"
                ),
                "no alias `live`",
                # Learner trial 13 (MW6): the message says why there is one version only.
                "one published version only",
                raises="already included in routing configuration",
            ),
            # Learner trial 9 (OD18): the check now adds each key a handler misses to its
            # event; a key that is still missing (an environment variable never set) is no key
            # of the event, and the version fails on every invocation.
            "version-reads-an-unset-variable": Wrong(
                cell(
                    "v1 = new_version(1)\n"
                    "lam.update_function_code(FunctionName='counter', ZipFile=zip_bytes("
                    "{'app.py': 'import os\\ndef handler(e, c):\\n"
                    "    return {\\'release\\': int(os.environ[\\'RELEASE\\'])}\\n'}))\n"
                    "lam.get_waiter('function_updated_v2').wait(FunctionName='counter')\n"
                    "v2 = lam.publish_version(FunctionName='counter')['Version']\n"
                    "lam.create_alias(FunctionName='counter', Name='live', FunctionVersion=v1, "
                    "RoutingConfig={'AdditionalVersionWeights': {v2: 0.25}})\n"
                ),
                "version 2 of `counter` fails",
                "KeyError: 'RELEASE'",
                "isn't read from its event",
            ),
            # Learner trial 12 (GD4): version 1's qualified ARN as `FunctionVersion`; the kit
            # answered ResourceNotFoundException for a function "counter:arn:...". AWS refuses
            # the field first (ValidationException, the pattern of FunctionVersion in
            # https://docs.aws.amazon.com/lambda/latest/api/API_CreateAlias.html); no alias.
            "function-version-as-qualified-arn": Wrong(
                cell(
                    "v1 = new_version(1)\nv2 = new_version(2)\n"
                    "arn1 = lam.get_function_configuration(FunctionName='counter', "
                    "Qualifier=v1)['FunctionArn']\n"
                    "lam.create_alias(FunctionName='counter', Name='live', FunctionVersion=arn1, "
                    "RoutingConfig={'AdditionalVersionWeights': {v2: 0.25}})\n"
                ),
                "no alias `live`",
                raises="at 'functionVersion' failed to satisfy constraint",
            ),
        },
        right={
            # Learner trial 9 (OD18): a counter that reads its event was refused: the check
            # invoked each version with {} only ("fails when invoked: KeyError: 'count'").
            "counter-reads-its-event": cell(
                "def counting(n):\n"
                "    return zip_bytes({'app.py': 'def handler(event, context):\\n'\n"
                '        f\'    return {{"release": {n}, "count": event["count"] + 1}}\\n\'})\n'
                "lam.update_function_code(FunctionName='counter', ZipFile=counting(1))\n"
                "lam.get_waiter('function_updated_v2').wait(FunctionName='counter')\n"
                "v1 = lam.publish_version(FunctionName='counter')['Version']\n"
                "lam.update_function_code(FunctionName='counter', ZipFile=counting(2))\n"
                "lam.get_waiter('function_updated_v2').wait(FunctionName='counter')\n"
                "v2 = lam.publish_version(FunctionName='counter')['Version']\n"
                "lam.create_alias(FunctionName='counter', Name='live', FunctionVersion=v1, "
                "RoutingConfig={'AdditionalVersionWeights': {v2: 0.25}})\n"
            ),
            # Learner trial 13 (MD19): a counter that reads its event with `.get` and converts
            # (`int(event.get('count'))`) fails on {} with a TypeError, not a KeyError; the
            # check now sends the keys the code gets, as it does for a KeyError.
            "counter-reads-its-event-with-get": cell(
                "def counting(n):\n"
                "    return zip_bytes({'app.py': 'def handler(event, context):\\n'\n"
                "        '    count = int(event.get(\"count\"))\\n'\n"
                '        f\'    return {{"release": {n}, "next": count + 1}}\\n\'})\n'
                "lam.update_function_code(FunctionName='counter', ZipFile=counting(1))\n"
                "lam.get_waiter('function_updated_v2').wait(FunctionName='counter')\n"
                "v1 = lam.publish_version(FunctionName='counter')['Version']\n"
                "lam.update_function_code(FunctionName='counter', ZipFile=counting(2))\n"
                "lam.get_waiter('function_updated_v2').wait(FunctionName='counter')\n"
                "v2 = lam.publish_version(FunctionName='counter')['Version']\n"
                "lam.create_alias(FunctionName='counter', Name='live', FunctionVersion=v1, "
                "RoutingConfig={'AdditionalVersionWeights': {v2: 0.25}})\n"
            ),
            "versions-2-and-3": cell(
                "new_version(1)\nv2 = new_version(2)\nv3 = new_version(3)\n"
                "lam.create_alias(FunctionName='counter', Name='live', FunctionVersion=v2, "
                "RoutingConfig={'AdditionalVersionWeights': {v3: 1 / 4}})\n"
            ),
            "alias-then-update": cell(
                "v1 = new_version(1)\n"
                "lam.create_alias(FunctionName='counter', Name='live', FunctionVersion=v1)\n"
                "v2 = new_version(2)\n"
                "lam.update_alias(FunctionName='counter', Name='live', "
                "RoutingConfig={'AdditionalVersionWeights': {v2: 0.25}})\n"
            ),
        },
        broken="half-not-quarter",
    )
}

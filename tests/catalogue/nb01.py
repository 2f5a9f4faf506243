"""Notebook 01: q1 `greeter` greets by name; q2 it prints its greeting."""

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
            "extra-key": Wrong(
                deploy(
                    "def lambda_handler(e, c):\n"
                    "    return {'greeting': f\"Hello, {e['name']}!\", 'name': e['name']}\n"
                ),
                "extra key(s) `name`",
                "only key",
            ),
        },
        right={
            "app-module-and-get": deploy(
                "def handler(event, context):\n"
                "    name = event.get('name')\n"
                "    return dict(greeting='Hello, ' + name + '!')\n",
                handler="app.handler",
            ),
            "newer-runtime-format": deploy(
                "def lambda_handler(event, context):\n"
                "    return {'greeting': 'Hello, {}!'.format(event['name'])}\n",
                runtime="python3.13",
            ),
        },
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
        },
        right={
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
        },
        broken="no-print",
    ),
}

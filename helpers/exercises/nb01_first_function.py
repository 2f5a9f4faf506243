"""Exercises of notebook 01 (a first function): `greeter`, then its greeting in the logs."""

from __future__ import annotations

import dataclasses
import difflib
import html
import io
import json
import random
import re
import stat
import unicodedata
import zipfile
from datetime import UTC, datetime
from types import SimpleNamespace

from ..iam import BASIC_EXECUTION
from ..limits import python_runtimes
from . import apps
from .core import Exercise, Incorrect
from .harness import (
    LOG_ACTIONS,
    Invocation,
    Statement,
    check_id,
    client,
    invocation_log,
    invoke,
    kit,
    parse_policy,
    printed_text,
    regions_holding,
    require_not_paused,
    role_allows,
    role_exists,
    role_statements,
)

FUNCTION = "greeter"
# Names the check greets: varied at each check, so a hard-coded greeting cannot pass.
NAMES = ("Ada", "Grace", "Katherine", "Alan", "Edsger", "Barbara", "Zoë", "José", "Mary Ann")
# Names that start lower case and hold an apostrophe: a handler that re-cases the name
# (`.title()`, `.capitalize()`) or HTML-escapes it (`html.escape`: `&#x27;`) changes each one
# (learner trial 9, O D1).
UNTITLED = ("d'Artagnan", "van 't Hoff", "de l'Orme", "dell'Acqua")
# Names with a comma, ending with a period, and holding the Dutch letter `ĳ` (U+0133: outside
# Latin-1, and NFKC turns it into `ij`): one is greeted at every check, so a handler that strips
# punctuation (`re.sub(r"[^\w\s'-]", "", name)`), drops a trailing period (`.rstrip(".")`),
# normalises to NFKC or drops what isn't Latin-1 fails every time (learner trial 13, MD1, MD2).
SUFFIXED = ("Pieter van Dĳk, Jr.", "Marĳke Dĳkstra, Sr.", "Jan de Rĳk, Jr.")
# Long names, each over 100 characters: the start of the check's long name (learner trial 10,
# U D1: every name drawn was 10 characters or fewer, so `[:10]` passed).
LONG = (
    "Pablo Diego José Francisco de Paula Juan Nepomuceno María de los Remedios Cipriano de la "
    "Santísima Trinidad Ruiz y Picasso",
    "Maria Salomea Skłodowska-Curie, Nobel laureate in Physics and in Chemistry, born in Warsaw "
    "in eighteen sixty-seven",
    "Adelaide Augusta Ada King, Countess of Lovelace, née Byron, who wrote the first published "
    "program for the Analytical Engine",
)
# Given names that lengthen a long name past every common "maximum length" (learner trial 11,
# AD2: the long names were 114-123 characters, so a cut at 128, 255 or 256 always passed).
GIVEN = (
    "Pablo", "Diego", "José", "Francisco", "María", "Salomea", "Adelaide", "Augusta",
    "Nepomuceno", "Cipriano", "Remedios", "Trinidad", "Zoë", "Katherine", "Łucja", "Søren",
)  # fmt: skip


def _long_name() -> str:
    """One of LONG, lengthened with given names drawn at random to 1,100-1,400 characters, so
    that a handler that cuts the name at any common maximum (10, 64, 128, 255, 256, 1,000,
    1,024) fails every check, whatever its cut."""
    size = random.randint(1100, 1400)
    name = random.choice(LONG)
    while len(name) < size:
        name += " " + random.choice(GIVEN)
    return name


def _r(value: object) -> str:
    """`repr(value)`, its middle left out when it is long (the check's long name has over a
    thousand characters): for messages."""
    text = repr(value)
    return text if len(text) <= 120 else f"{text[:70]} … {text[-30:]}"


def _names() -> list[str]:
    """Every check greets a name with a space, one with an accent, one in lower case with an
    apostrophe and one with a comma, a final period and a letter outside Latin-1 (a handler
    that keeps the first word, drops accents, re-cases, escapes, strips or normalises the name
    fails every time, not one check in three), a fifth name drawn at random, so that a
    greeting written out by hand cannot pass, and last a long name, so that one that cuts the
    name fails (short names first: a mistake they show is named with a short name)."""
    hard = [
        "Mary Ann",
        random.choice(["Zoë", "José"]),
        random.choice(UNTITLED),
        random.choice(SUFFIXED),
    ]
    return [*hard, random.choice([n for n in NAMES if n not in hard]), _long_name()]


def _failure(who: str, run: Invocation, group: str = f"/aws/lambda/{FUNCTION}") -> Incorrect:
    failed = f"invoking `{FUNCTION}` with {{'name': {_r(who)}}} failed with {run.error}."
    if "Runtime.ImportModuleError" in str(run.error) and (folder := _module_in_a_folder()):
        return Incorrect(f"{failed} {folder}")
    return Incorrect(
        f"{failed} Read its log, in the log group `{group}` (section 6 reads one), or test the "
        "handler as a plain Python function first."
    )


def _module_in_a_folder() -> str:
    """Advice when the handler's module is not where its Handler says but is in a folder of
    greeter's ZIP (`greeter/lambda_function.py`: the folder was zipped, not its contents), else
    "". Learner trial 12 (GW3): the message sent the learner to test the handler as a plain
    function, which passes. Lambda imports the handler's module from the ZIP's top level
    (https://docs.aws.amazon.com/lambda/latest/dg/python-package.html zips the handler's file at
    the archive's top; https://repost.aws/knowledge-center/lambda-import-module-error-python)."""
    from .deployed_code import function_zip

    handler = str(client("lambda").get_function_configuration(FunctionName=FUNCTION)["Handler"])
    module = handler.rpartition(".")[0].replace(".", "/")
    try:
        with zipfile.ZipFile(io.BytesIO(function_zip(FUNCTION))) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return ""
    wanted = (f"{module}.py", f"{module}/__init__.py")
    if not module or any(name in wanted for name in names):
        return ""
    inside = sorted(n for n in names if any(n.endswith(f"/{w}") for w in wanted))
    if not inside:
        return ""
    folder = inside[0][: -len(next(w for w in wanted if inside[0].endswith(f"/{w}")))]
    return (
        f"`{FUNCTION}`'s ZIP holds `{inside[0]}`, inside the folder `{folder}`, and Lambda "
        f"imports the handler's module (`{handler}`) from the ZIP's top level, where there is "
        f"no `{module}.py`: the folder was zipped, not its contents. Zip the files themselves "
        f"(`zip_bytes({{'{module}.py': source}})`, or `cd {folder.rstrip('/')} && zip -r "
        "../function.zip .`) and update the code."
    )


def _why_not(who: str, got: object) -> str:
    expected = {"greeting": f"Hello, {who}!"}
    event = f"with the event {{'name': {_r(who)}}} `{FUNCTION}`"
    if got is None:
        # A handler without `return` (e.g. it prints the dict) replies null.
        return (
            f"{event} returned None: its handler returns nothing. Printing the dict doesn't "
            f"answer the invoke; `return` it: {_r(expected)}."
        )
    if not isinstance(got, dict):
        kind = type(got).__name__
        extra = (
            " (a JSON string: return the dict itself; Lambda serialises it)"
            if kind == "str"
            else ""
        )
        return f"{event} returned a {kind}{extra}; expected the dict {_r(expected)}."
    if "greeting" not in got:
        return f"{event} returned {_r(got)}: the key must be `greeting`, as in {_r(expected)}."
    if extra_keys := [key for key in got if key != "greeting"]:
        return (
            f"{event} returned the extra key(s) {', '.join(f'`{k}`' for k in extra_keys)}: "
            f"{_r(got)}. Return exactly {_r(expected)}, with `greeting` as its only key."
        )
    greeting = got["greeting"]
    if isinstance(greeting, str) and greeting != expected["greeting"]:
        if html.unescape(greeting) == expected["greeting"]:
            return (
                f"{event} greets with {_r(greeting)}: the name is HTML-escaped. A greeting is "
                f"plain text: return the name as the event gives it, {_r(expected)}."
            )
        if greeting.casefold() == expected["greeting"].casefold():
            return (
                f"{event} greets with {_r(greeting)}: the name's capitals changed (`.title()`, "
                "`.capitalize()`?). Greet the name exactly as the event gives it: "
                f"{_r(expected)}."
            )
        if looks_alike(greeting, expected["greeting"]):
            # Learner trial 10 (U D16): an NFD name looks the same; show the code points.
            return (
                f"{event} greets with {_r(greeting)}, which looks like {_r(expected['greeting'])} "
                f"but is other text: {code_point_difference(greeting, expected['greeting'])}. "
                "The name was changed (Unicode normalisation?): greet it exactly as the event "
                "gives it, without `unicodedata.normalize`."
            )
        if dropped := _dropped(who, greeting):
            return dropped
        if cut := _cut_name(who, greeting):
            return cut
    if isinstance(greeting, str) and who in greeting:
        return (
            f"{event} greets with {_r(greeting)}; it must be exactly {_r(expected['greeting'])}: "
            "check the words, the comma, the spaces and the `!`."
        )
    return f"{event} returned {_r(got)}; expected {_r(expected)}."


def looks_alike(got: str, expected: str) -> bool:
    """Whether two different strings look the same: equal once Unicode-normalised (NFKC: an
    `é` written as `e` + a combining accent, a no-break space) and without invisible format
    characters (a zero-width space)."""

    def seen(text: str) -> str:
        visible = "".join(c for c in text if unicodedata.category(c) != "Cf")
        return unicodedata.normalize("NFKC", visible)

    return got != expected and seen(got) == seen(expected)


def code_point_difference(got: str, expected: str) -> str:
    """Where `got` differs from `expected`, by code point: "where the event has `é` (U+00E9),
    the greeting has `é` (U+0065 U+0301)"."""

    def points(text: str) -> str:
        return " ".join(f"U+{ord(c):04X}" for c in text) or "nothing"

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, got, expected).get_opcodes():
        if tag != "equal":
            mine, theirs = got[i1:i2], expected[j1:j2]
            return (
                f"where the event's name has {theirs!r} ({points(theirs)}), the greeting has "
                f"{mine!r} ({points(mine)})"
            )
    return "they differ"  # not reached: the strings differ


def _dropped(who: str, greeting: str) -> str | None:
    """A message when the greeting holds the name with some of its characters left out
    (punctuation stripped, a trailing period dropped, letters outside Latin-1 or ASCII dropped),
    else None (learner trial 13, MD1, MD2)."""
    if not greeting.startswith("Hello, "):
        return None
    kept = greeting.removeprefix("Hello, ").removesuffix("!")
    if kept == who or len(kept) >= len(who):
        return None
    lost, rest = [], iter(kept)
    pending = next(rest, None)
    for c in who:
        if c == pending:
            pending = next(rest, None)
        else:
            lost.append(c)
    if pending is not None or not lost:  # not the name with characters left out
        return None
    if any(c.isascii() and c.isalnum() for c in lost):  # a cut name: `_cut_name` says so
        return None
    shown = " ".join(f"`{c}`" for c in dict.fromkeys(lost))
    why = (
        " (encoding the name to latin-1 or ASCII with errors ignored drops such letters)"
        if all(not c.isascii() for c in lost)
        else ""
    )
    return (
        f"with the event {{'name': {_r(who)}}} `{FUNCTION}` greets with {_r(greeting)}: the "
        f"name lost {shown}{why}. A name may hold any character, punctuation included: "
        f"greet it exactly as the event gives it, {{'greeting': {_r(f'Hello, {who}!')}}}."
    )


def _cut_name(who: str, greeting: str) -> str | None:
    """A message when the greeting holds only the start of the name (`name[:10]`, the first
    word), else None."""
    if not greeting.startswith("Hello, "):
        return None
    kept = greeting.removeprefix("Hello, ").removesuffix("!").rstrip(".…")
    if not kept or kept == who or not who.startswith(kept):
        return None
    what = (
        "it keeps only the name's first word"
        if kept == who.split(" ")[0]
        else f"it cuts the name after {len(kept)} characters"
    )
    return (
        f"with the event {{'name': {_r(who)}}} (a name of {len(who)} characters) `{FUNCTION}` "
        f"greets with {_r(greeting)}: {what}. Greet the whole name, however long: "
        f"{{'greeting': {_r(f'Hello, {who}!')}}}."
    )


# The greeting of a handler that reads a key the event lacks with `.get`: None or a default.
_MISSING_NAME = re.compile(r"Hello, (None|null|)!?")


def _wrong_shape(got: object) -> bool:
    """True when the reply isn't a dict with `greeting` as its only key: a mistake of shape,
    named as such before the same-reply test (a None for every name isn't a hard-coded name)."""
    return not isinstance(got, dict) or list(got) != ["greeting"]


def _check_greeter() -> str:
    config = existing_function(FUNCTION, ". Create it with `create_function`.")
    require_role_exists(FUNCTION, config)
    require_readable_files(FUNCTION)
    if not str(config.get("Runtime", "")).startswith("python3"):
        raise Incorrect(f"`{FUNCTION}` should use a Python runtime such as python3.12.")
    require_not_paused(FUNCTION)
    runs = {}
    for who in _names():
        run = invoke(FUNCTION, {"name": who})
        if run.failed:
            raise _failure(who, run)
        runs[who] = run.payload
    for who, got in runs.items():
        if _wrong_shape(got):
            raise Incorrect(_why_not(who, got))
    replies = [repr(got) for got in runs.values()]
    if len(set(replies)) < len(replies):
        same = next(reply for reply in replies if replies.count(reply) > 1)
        greetings = [got.get("greeting") for got in runs.values() if isinstance(got, dict)]
        if _MISSING_NAME.fullmatch(str(greetings[replies.index(same)])):
            # event.get('firstName') greets None, event.get('Name', '') greets no one: the key
            # read isn't in the event, which is no hard-coded name (learner trial 9, O D6).
            raise Incorrect(
                f"`{FUNCTION}` returned {same} for the names "
                f"{', '.join(map(_r, runs))}: the key it reads isn't in the event, so it "
                "greets what `.get` gives for a missing key. The event holds the name under "
                "`name`: read `event['name']`."
            )
        if any("{" in str(g) for g in greetings):  # the placeholder came back: no f-string
            raise Incorrect(
                f"`{FUNCTION}` returned {same} for every name: the braces came back as written, "
                "so the string is a plain one. Put an `f` before its opening quote (an f-string) "
                "so that `{...}` is replaced by the name."
            )
        raise Incorrect(
            f"`{FUNCTION}` returned {same} for more than one of the names "
            f"{', '.join(map(_r, runs))}: the name is hard-coded, or kept from an earlier "
            "invocation. Read it from each event (`event['name']`)."
        )
    for who, got in runs.items():
        if got != {"greeting": f"Hello, {who}!"}:
            raise Incorrect(_why_not(who, got))
    return f"`{FUNCTION}` reads the name from its event and greets by name.{_runtime_note(config)}"


def existing_function(name: str, then: str) -> dict:
    """`name`'s configuration, or Incorrect saying it doesn't exist and naming a near miss: a
    function whose name differs only in case (Lambda names are case-sensitive), one named
    alike, or `name` in another Region (learner trial 10, U D7: a learner who made `Greeter`,
    or made `greeter` with a client of eu-west-1, was told to create it). `then`, from its
    first character (". Create it ..."), says what to do; without a near miss the message is
    the plain "there is no function named ... yet" + `then`."""
    aws = kit()
    lam = client("lambda")
    try:
        return lam.get_function_configuration(FunctionName=name)
    except lam.exceptions.ResourceNotFoundException:
        pass
    here = [
        f["FunctionName"]
        for page in lam.get_paginator("list_functions").paginate()
        for f in page["Functions"]
    ]
    if same := [n for n in here if n.casefold() == name.casefold()]:
        raise Incorrect(
            f"there is no function named `{name}` yet (found: `{same[0]}`){then} Lambda "
            f"function names are case-sensitive: `{same[0]}` is another function."
        )
    if regions := regions_holding(name):
        raise Incorrect(
            f"there is no function named `{name}` in `{aws.region}`, the Region of the "
            f"notebook's clients and of this check (found: `{name}` in "
            f"{', '.join(f'`{r}`' for r in regions)}). A function belongs to one Region: make "
            f"`{name}` with a client of `{aws.region}` (`boto3.client('lambda')`, without "
            "`region_name`)."
        )
    close = difflib.get_close_matches(name, here, n=3, cutoff=0.6)
    seen = f" (found: {', '.join(f'`{n}`' for n in close)})" if close else ""
    raise Incorrect(f"there is no function named `{name}` yet{seen}{then}")


def require_role_exists(function: str, config: dict, what: str = "") -> None:
    """Incorrect if the function's execution role has been deleted: Lambda runs a function as
    its role, and can't when the role is gone ("Lambda assumes the execution role when you
    invoke your function", https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html;
    learner trial 10, U D22: a greeter whose role was deleted passed q1). `what` names the
    version, when it is one."""
    role = str(config.get("Role", "")).rsplit("/", 1)[-1]
    if not role_exists(role):
        raise Incorrect(
            f"{what or f'`{function}`'}'s execution role `{role}` doesn't exist any more: Lambda "
            "can't run the function as it. Give the function a role that exists "
            f"(`update_function_configuration(FunctionName='{function}', Role=...)`)."
        )
    # Learner trial 11 (AD17): a role whose trust policy no longer names Lambda passed. Lambda
    # gets the function's credentials by assuming its role, which the trust policy must let
    # `lambda.amazonaws.com` do; AWS answers "The role defined for the function cannot be
    # assumed by Lambda." (https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html).
    from ..patches.lambda_validation import lambda_may_assume

    trust = client("iam").get_role(RoleName=role)["Role"].get("AssumeRolePolicyDocument")
    if not lambda_may_assume(trust):
        raise Incorrect(
            f"{what or f'`{function}`'}'s execution role `{role}` doesn't let Lambda assume it: "
            "its trust policy doesn't allow the service `lambda.amazonaws.com` to "
            "`sts:AssumeRole`, and Lambda runs the function with the credentials it gets by "
            'assuming the role (on AWS: "The role defined for the function cannot be assumed '
            'by Lambda."). Give the role its trust policy back: '
            f"`iam.update_assume_role_policy(RoleName='{role}', PolicyDocument=json.dumps("
            "{'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': "
            "{'Service': 'lambda.amazonaws.com'}, 'Action': 'sts:AssumeRole'}]}))`."
        )


def require_readable_files(function: str) -> None:
    """Incorrect when a file of the function's ZIP isn't readable by everyone (a Unix mode
    without read for "others", as `zipfile.writestr(name, ...)` writes, 600), or a folder
    not readable and searchable by everyone. Lambda runs the code as a user that doesn't own
    the files and "requires global read permissions on code files and any dependent
    libraries" (644 for files, 755 for folders): on AWS the import fails with [Errno 13]
    Permission denied (https://repost.aws/knowledge-center/lambda-deployment-package-errors).
    Learner trial 11 (AD1): a ZIP of mode 600 passed. A ZIP without Unix modes (made on
    Windows) has none to check."""
    from .deployed_code import function_zip

    try:
        with zipfile.ZipFile(io.BytesIO(function_zip(function))) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        return  # not the kit's to name here: the invoke fails and says so
    for info in entries:
        mode = (info.external_attr >> 16) & 0o777
        if info.create_system != 3 or not mode:
            continue
        folder = info.is_dir()
        needed = 0o005 if folder else 0o004
        if mode & needed != needed:
            kind, right = ("folder", "755") if folder else ("file", "644")
            raise Incorrect(
                f"`{function}`'s ZIP holds the {kind} `{info.filename}` with the mode "
                f"{mode:03o} ({stat.filemode(mode | (stat.S_IFDIR if folder else stat.S_IFREG))}"
                "): not readable by everyone. Lambda runs your code as a user that doesn't "
                f"own the files, so on AWS it can't read it ([Errno 13] Permission denied); "
                f"Lambda needs every {kind} readable by all ({right}). `zipfile`'s "
                "`writestr(name, ...)` writes 600: give each file its mode, "
                "`info = zipfile.ZipInfo(name); info.external_attr = 0o644 << 16; "
                "archive.writestr(info, source)`, or zip with `helpers.packaging.zip_bytes`."
            )


def _runtime_note(config: dict) -> str:
    """A word when greeter's runtime is deprecated on the kit's clock: AWS still runs it and
    lets functions be created with it until its block-create date, but "may no longer apply
    security patches or updates to that runtime"
    (https://docs.aws.amazon.com/lambda/latest/dg/runtime-support-policy.html; learner trial 9,
    O W4)."""
    runtime = str(config.get("Runtime", ""))
    dates = python_runtimes().get(runtime)
    if dates is None or not dates.deprecated(kit().now().date()):
        return ""
    return (
        f" Note: `{runtime}` is deprecated since {dates.deprecation:%Y-%m-%d} (AWS may no "
        f"longer patch it; new functions can't use it from {dates.block_create:%Y-%m-%d}): prefer "
        "a newer runtime such as python3.12."
    )


def _log_group(config: dict) -> str:
    """greeter's log group: `/aws/lambda/greeter` unless its LoggingConfig names another (a
    custom log group, https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html)."""
    return (config.get("LoggingConfig") or {}).get("LogGroup") or f"/aws/lambda/{FUNCTION}"


def _require_log_rights(config: dict, group: str) -> None:
    """Incorrect unless greeter's execution role may write its log: on AWS, Lambda sends the
    function's output to CloudWatch Logs with the role's rights, `logs:CreateLogStream` and
    `logs:PutLogEvents` (and `logs:CreateLogGroup` while the group doesn't exist); without them
    nothing the handler prints is kept
    (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html, "Required IAM
    permissions"). Learner trial 9 (O D2): the kit writes the log whatever the role allows.
    Learner trial 10 (U D2, U D10): an explicit Deny and a permissions boundary are named as
    such; attaching AWSLambdaBasicExecutionRole fixes neither."""
    aws = kit()
    require_role_exists(FUNCTION, config)
    role = config["Role"].rsplit("/", 1)[-1]
    statements = role_statements(role)
    group_arn = f"arn:aws:logs:{aws.region}:{aws.account_id}:log-group:{group}"
    stream_arn = f"{group_arn}:log-stream:{datetime.now(UTC):%Y/%m/%d}/[$LATEST]{check_id()}"
    # The ARNs Lambda's calls name, as the kit's runtime reads them (helpers/runtime/logs.py):
    # a log group's actions act on `<group ARN>:*`, PutLogEvents on the log stream's ARN
    # (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/iam-access-control-overview-cwl.html).
    resources = {
        "logs:CreateLogGroup": f"{group_arn}:*",
        "logs:CreateLogStream": stream_arn,
        "logs:PutLogEvents": stream_arn,
    }
    actions = list(LOG_ACTIONS)
    logs = client("logs")
    groups = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]
    if any(g["logGroupName"] == group for g in groups):
        actions.remove("logs:CreateLogGroup")  # an existing group needn't be created

    def allowed(rules: list[Statement], action: str, arn: str = "") -> bool:
        return role_allows(rules, action, arn or resources[action], role=role, function=FUNCTION)

    # An explicit Deny wins over every Allow (IAM's policy evaluation logic,
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
    # a Deny statement that would allow the action, read as an Allow, denies it.
    denials = {
        action: [
            s
            for s in statements
            if not s.allows and allowed([dataclasses.replace(s, effect="Allow")], action)
        ]
        for action in actions
    }
    if denied := [action for action in actions if denials[action]]:
        sources = list(dict.fromkeys(s.source or "a policy" for a in denied for s in denials[a]))
        raise Incorrect(
            f"`{FUNCTION}`'s execution role `{role}` denies "
            f"{', '.join(f'`{a}`' for a in denied)} on its log group `{group}`: a Deny "
            f"statement in its {' and '.join(sources)} wins over any Allow (even "
            "AWSLambdaBasicExecutionRole's), so on AWS nothing the handler prints would reach "
            "CloudWatch Logs. Remove that statement, or narrow it so it leaves the function's "
            "log group out."
        )
    missing = [action for action in actions if not allowed(statements, action)]
    # Learner trial 13 (MD4): an Allow whose `NotResource` names the function's log group
    # allows everything but it; it was told to end a `Resource` it doesn't have with `:*`. A
    # statement "explicitly matches every resource except the ones specified"
    # (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html).
    excluding = [
        s
        for s in statements
        if s.allows
        and s.not_resources
        and any(
            allowed([dataclasses.replace(s, resources=("*",), not_resources=None)], action)
            for action in missing
        )
    ]
    if missing and excluding:
        named = ", ".join(f"`{r}`" for s in excluding for r in s.not_resources or ())
        sources = " and ".join(dict.fromkeys(s.source or "a policy" for s in excluding))
        raise Incorrect(
            f"`{FUNCTION}`'s execution role `{role}` doesn't allow "
            f"{', '.join(f'`{a}`' for a in missing)} on its log group `{group}`: the Allow in "
            f"its {sources} has the `NotResource` {named}, which leaves that group out "
            "(it allows every resource but those), so the role may not write this function's "
            "log, and on AWS "
            "nothing the handler prints would reach CloudWatch Logs. Replace `NotResource` "
            f'with `"Resource": "{group_arn}:*"` (a statement has one or the other), or '
            "attach AWS's managed policy `AWSLambdaBasicExecutionRole` to the role."
        )
    if missing and all(allowed(statements, action, group_arn) for action in missing):
        # Learner trial 11 (AD3): the log group's ARN without `:*` was taken for it, and the
        # check blamed the handler. "Use the second version, with the trailing :*, to refer
        # to the ARN when specifying permissions in IAM policies for all other API actions"
        # (iam-access-control-overview-cwl.html above).
        raise Incorrect(
            f"`{FUNCTION}`'s execution role `{role}` allows "
            f"{', '.join(f'`{a}`' for a in missing)} on `{group_arn}`, the log group's ARN "
            "without `:*`, which names the group alone: Lambda creates a log stream in the "
            "group and puts the events in it (`...:log-group:<group>:log-stream:<stream>`), so "
            "on AWS nothing the handler prints would reach CloudWatch Logs. End the policy's "
            f"`Resource` with `:*`: `{group_arn}:*`."
        )
    if missing:
        raise Incorrect(
            f"`{FUNCTION}`'s execution role `{role}` doesn't allow "
            f"{', '.join(f'`{a}`' for a in missing)} on its log group `{group}`. On AWS, Lambda "
            "writes the function's log with its role's rights, so nothing the handler prints "
            "would reach CloudWatch Logs. Attach AWS's managed policy "
            f"`AWSLambdaBasicExecutionRole` to the role: `iam.attach_role_policy(RoleName="
            f"'{role}', PolicyArn='{BASIC_EXECUTION}')`."
        )
    boundary, rules = _boundary(role)
    if boundary and (capped := [action for action in actions if not allowed(rules, action)]):
        # A boundary caps what the role's policies allow: an action must be allowed by both
        # (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
        raise Incorrect(
            f"`{FUNCTION}`'s execution role `{role}` has a permissions boundary, `{boundary}`, "
            f"which doesn't allow {', '.join(f'`{a}`' for a in capped)} on its log group "
            f"`{group}`: a role can do only what both its policies and its boundary allow, so "
            "on AWS nothing the handler prints would reach CloudWatch Logs. Allow them in the "
            "boundary too, or remove the boundary "
            f"(`iam.delete_role_permissions_boundary(RoleName='{role}')`)."
        )


def _boundary(role: str) -> tuple[str, list[Statement]]:
    """The name of the role's permissions boundary and its statements (none when the policy
    doesn't exist: then it allows nothing), or ("", []) when the role has no boundary."""
    iam = client("iam")
    arn = (iam.get_role(RoleName=role)["Role"].get("PermissionsBoundary") or {}).get(
        "PermissionsBoundaryArn"
    )
    if not arn:
        return "", []
    name = str(arn).rsplit("/", 1)[-1]
    try:
        version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
        document = iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]
    except iam.exceptions.NoSuchEntityException:
        return name, []
    return name, parse_policy(document["Document"], f"permissions boundary `{name}`")


def _check_printed() -> str:
    config = existing_function(
        FUNCTION, ": deploy it in Question 1 first, then change its code here."
    )
    require_not_paused(FUNCTION)
    require_readable_files(FUNCTION)
    group = _log_group(config)
    _require_log_rights(config, group)
    # An accented name every time (a greeting printed as JSON shows "Zo\u00eb"), and one drawn
    # at random, so that a greeting printed by hand cannot pass.
    for who in (random.choice(["Zoë", "José"]), random.choice(NAMES[:6])):
        # The task's event, {"name": ...}, and nothing else: a handler may refuse other keys
        # (learner trial 9, O D19: the check sent a `check` key its messages didn't show).
        run = invoke(FUNCTION, {"name": who})
        if run.failed:
            raise _failure(who, run, group)
        _require_printed(who, run, group, config)
        # The handler of question 1, printing too: it still answers with the greeting
        # (learner trial 9, O D4: one that printed and returned nothing passed).
        expected = {"greeting": f"Hello, {who}!"}
        if run.payload is None:
            raise Incorrect(
                f"`{FUNCTION}` prints its greeting but no longer returns it: with the event "
                f"{{'name': {who!r}}} the invoke answered None. Keep Question 1's `return` "
                f"beside the `print`: `{FUNCTION}` must still answer {_r(expected)}."
            )
        if run.payload != expected:
            raise Incorrect(
                f"`{FUNCTION}` prints its greeting, but must still return it, as in Question 1: "
                + _why_not(who, run.payload)
            )
    return "Your handler's print reaches CloudWatch Logs."


def _printed(run: Invocation, group: str) -> list[str]:
    """What the handler printed in this invocation, read from `group` (its log group)."""
    return [
        printed_text(line)
        for line in invocation_log(FUNCTION, run.request_id, group)
        if not line.startswith(("START RequestId:", "END RequestId:", "REPORT RequestId:"))
    ]


# Application log levels above INFO: with them Lambda drops a `logger.info` line.
_ABOVE_INFO = ("WARN", "ERROR", "FATAL")


def _require_printed(who: str, run: Invocation, group: str, config: dict) -> None:
    greeting = f"Hello, {who}!"
    printed = _printed(run, group)
    if any(greeting in line for line in printed):
        return
    logging_config = config.get("LoggingConfig") or {}
    level = str(logging_config.get("ApplicationLogLevel", "")).upper()
    if logging_config.get("LogFormat") == "JSON" and level in _ABOVE_INFO:
        # Learner trial 10 (U D3): Lambda's own filter dropped an INFO line; the handler may
        # well have logged it. "Lambda only sends application logs at the selected level of
        # detail and lower" (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html).
        # Learner trial 12 (GD3): a printed line, a JSON object without "level" too, counts
        # as INFO ("If the "level" value field is invalid or missing, Lambda will assign the
        # log output the level INFO", same page), so it is dropped as well.
        raise Incorrect(
            f"the check invoked `{FUNCTION}` with {{'name': {who!r}}}, and that invocation's "
            f"log (in `{group}`) has no line with its greeting {greeting!r}. `{FUNCTION}`'s "
            f"`LoggingConfig` sets `ApplicationLogLevel` to `{level}`: Lambda drops every "
            f"application log record below {level}, so a greeting logged with `logger.info` "
            '(INFO), or printed (a line without a valid `"level"` counts as INFO), never '
            "reaches the log group. Set it to `INFO`: "
            f"`lam.update_function_configuration(FunctionName='{FUNCTION}', "
            "LoggingConfig={'LogFormat': 'JSON', 'ApplicationLogLevel': 'INFO'})`."
        )
    escaped = json.dumps(greeting)[1:-1]  # "Hello, Zo\u00eb!": what json.dumps prints
    if escaped != greeting and any(escaped in line for line in printed):
        raise Incorrect(
            f"the log of the check's invocation with {{'name': {who!r}}} shows {escaped!r}, "
            f"not {greeting!r}: `json.dumps` escapes the accent. Print the greeting itself "
            "(or `json.dumps(..., ensure_ascii=False)`)."
        )
    others = [line for line in printed if line.strip()]
    if not others and (advice := _logging_advice(logging_config)):
        raise Incorrect(
            f"the check invoked `{FUNCTION}` with {{'name': {who!r}}}, and that invocation's log "
            f"(in `{group}`) has no line with its greeting {greeting!r}: it wrote nothing of "
            f"its own. {advice}"
        )
    seen = (
        f" It wrote {len(others)} other line(s), e.g. {others[0][:80]!r}."
        if others
        else " It wrote nothing of its own."
    )
    # Learner trial 13 (MW5): `update_function_code(..., DryRun=True)` left the old code. It
    # "validate[s] the request parameters and access permissions without modifying the
    # function code" (https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionCode.html).
    raise Incorrect(
        f"the check invoked `{FUNCTION}` with {{'name': {who!r}}}, and that invocation's log "
        f"(in `{group}`) has no line with its greeting {greeting!r}.{seen} Make the handler "
        "`print` the greeting it returns, update its code (`update_function_code` without "
        "`DryRun=True`, which changes nothing), then check again."
    )


def _logging_advice(logging_config: dict) -> str:
    """What to change when greeter's code logs at INFO with `logging` and nothing reached the
    log (learner trial 11, AW2: `logging.basicConfig(level=logging.INFO)` was told to print):
    Lambda's Python runtime gives the root logger a handler of its own, so `basicConfig` does
    nothing ("This function does nothing if the root logger already has handlers configured,
    unless the keyword argument force is set to True",
    https://docs.python.org/3/library/logging.html#logging.basicConfig), and with
    the Text log format the root logger stays at WARNING, which drops INFO records. "" when
    the code doesn't log so (or the log format is JSON, whose level Lambda sets)."""
    from .deployed_code import function_zip

    if logging_config.get("LogFormat") == "JSON":
        return ""
    try:
        with zipfile.ZipFile(io.BytesIO(function_zip(FUNCTION))) as archive:
            source = "\n".join(
                archive.read(n).decode("utf-8", "replace")
                for n in archive.namelist()
                if n.endswith(".py")
            )
    except zipfile.BadZipFile:
        return ""
    if not re.search(r"\.info\(", source) or re.search(r"setLevel\(|force=True", source):
        return ""
    if "basicConfig(" in source:
        return (
            "`logging.basicConfig(...)` does nothing on Lambda: the runtime has given the root "
            "logger a handler already, so its level stays WARNING and your INFO record is "
            "dropped. Set the level on the logger instead, `logging.getLogger()."
            "setLevel(logging.INFO)`, or `print` the greeting."
        )
    return (
        "Your handler logs the greeting at INFO, and on Lambda the root logger's level is "
        "WARNING, so the record is dropped. Set the level, `logging.getLogger()."
        "setLevel(logging.INFO)`, or `print` the greeting."
    )


_DEPLOY = '''
import boto3
from helpers.iam import execution_role
from helpers.packaging import zip_bytes

source = """
{source}"""
lam = boto3.client("lambda")
code = zip_bytes({{"lambda_function.py": source}})
handler = "lambda_function.lambda_handler"
try:
    lam.create_function(FunctionName="greeter", Runtime="python3.12", Role=execution_role(),
                        Handler=handler, Code={{"ZipFile": code}})
    lam.get_waiter("function_active_v2").wait(FunctionName="greeter")
except lam.exceptions.ResourceConflictException:  # greeter exists already: replace its code
    lam.update_function_code(FunctionName="greeter", ZipFile=code)
    lam.get_waiter("function_updated_v2").wait(FunctionName="greeter")
    # its handler, and a role that may write its logs (the kit's, with AWSLambdaBasicExecutionRole)
    lam.update_function_configuration(FunctionName="greeter", Handler=handler,
                                      Role=execution_role())
    lam.get_waiter("function_updated_v2").wait(FunctionName="greeter")
    lam.delete_function_concurrency(FunctionName="greeter")  # no reservation (0 throttles all)
'''

notebook_01 = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task="Deploy `greeter`: given {'name': 'Ada'} it returns {'greeting': 'Hello, Ada!'}.",
        checker=_check_greeter,
        hint_text=(
            "The handler receives the event as a dict, so the name is one of its keys. Build "
            "the greeting with an f-string and return a dict (not a JSON string): Lambda "
            "serialises what you return."
        ),
        solution_code=_DEPLOY.format(source=apps.source("greeter")),
    ),
    q2=Exercise(
        name="q2",
        task=(
            "Make `greeter` print its greeting, so it shows in CloudWatch Logs, and still "
            "return it."
        ),
        checker=_check_printed,
        hint_text=(
            "Whatever a handler prints goes to its log group (`/aws/lambda/greeter` unless its "
            "`LoggingConfig` names another), provided its execution role may write logs, as "
            "the notebook's role may. Add a `print` of the greeting, then send the new code "
            "with `update_function_code`."
        ),
        solution_code=_DEPLOY.format(source=apps.source("greeter_printing")),
    ),
)

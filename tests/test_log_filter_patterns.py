"""CloudWatch Logs filter patterns select the log events AWS's documentation says they select."""

from __future__ import annotations

import json

import pytest

from helpers.triggers import log_filter_patterns
from helpers.triggers.log_filter_patterns import InvalidFilterPattern, compile, matches

# --- The documentation's own examples: (pattern, message, selected?) ------------------------
# Current guide: FilterAndPatternSyntax.html and its regex / JSON / space-delimited pages.
# Archived guide: github.com/awsdocs/amazon-cloudwatch-logs-user-guide, FilterAndPatternSyntax.md.

E400 = "[ERROR 400] BAD REQUEST"
E401 = "[ERROR 401] UNAUTHORIZED REQUEST"
E419 = "[ERROR 419] MISSING ARGUMENTS"
E420 = "[ERROR 420] INVALID ARGUMENTS"
E500 = "[ERROR 500] INTERNAL SERVER ERROR"
S200 = "[SUCCESS 200] AUTHORIZED REQUEST"

UNSTRUCTURED = [
    # Current guide, "Match terms in unstructured log events".
    ("ERROR", E400, True),
    ("ERROR", E401, True),
    ("ERROR", E419, True),
    ("ERROR", E420, True),
    ("ERROR ARGUMENTS", E419, True),
    ("ERROR ARGUMENTS", E420, True),
    ("ERROR ARGUMENTS", E400, False),
    ("ERROR ARGUMENTS", E401, False),
    ("?ERROR ?ARGUMENTS", E400, True),
    ("?ERROR ?ARGUMENTS", E401, True),
    ("?ERROR ?ARGUMENTS", E419, True),
    ("?ERROR ?ARGUMENTS", E420, True),
    ('"INTERNAL SERVER ERROR"', E500, True),
    ('"INTERNAL SERVER ERROR"', E400, False),
    ("ERROR -ARGUMENTS", E400, True),
    ("ERROR -ARGUMENTS", E401, True),
    ("ERROR -ARGUMENTS", E419, False),
    ("ERROR -ARGUMENTS", E420, False),
    ('" "', E400, True),
    ('" "', "nospaces", True),
    ("%AUTHORIZED%", E401, True),
    ("%AUTHORIZED%", S200, True),
    ("%AUTHORIZED%", E400, False),
    # Archived guide: terms are substrings, so ERROR selects ERRORCODE.
    ('"ERROR"', "[ERROR] A fatal exception has occurred", True),
    ('"ERROR"', "Exiting with ERRORCODE: -1", True),
    ('"ERROR" - "Exiting"', "Exiting with ERRORCODE: -1", False),
    ('"ERROR" - "Exiting"', "[ERROR] A fatal exception has occurred", True),
    ("ERROR Exception", "[ERROR] Caught IllegalArgumentException", True),
    ("ERROR Exception", "[ERROR] Unhandled Exception", True),
    ("Failed to process the request", "[WARN] Failed to process the request", True),
    (
        "Failed to process the request",
        "[ERROR] Unable to continue: Failed to process the request",
        True,
    ),
    # Archived guide, "OR Pattern Matching".
    ("ERROR", "ERROR WARN message", True),
    ("ERROR", "ERROR message", True),
    ("ERROR", "WARN message", False),
    ("?ERROR ?WARN", "ERROR WARN message", True),
    ("?ERROR ?WARN", "ERROR message", True),
    ("?ERROR ?WARN", "WARN message", True),
    ("ERROR WARN", "ERROR WARN message", True),
    ("ERROR WARN", "ERROR message", False),
    ("ERROR WARN", "WARN message", False),
    ("ERROR -WARN", "ERROR WARN message", False),
    ("ERROR -WARN", "ERROR message", True),
    ("ERROR -WARN", "WARN message", False),
]

REGEX = [
    # regex-expressions.html, "Usage of supported operators" and the introduction.
    ("%^[hc]at%", "hat trick", True),
    ("%^[hc]at%", "cat nap", True),
    ("%^[hc]at%", "that", False),
    ("%[hc]at$%", "a grey cat", True),
    ("%[hc]at$%", "cat nap", False),
    ("%colou?r%", "color", True),
    ("%colou?r%", "colour", True),
    ("%[abc]%", "xbx", True),
    ("%[abcx-z]%", "y", True),
    ("%[a-z]%", "ABC", False),
    ("%a{3,5}%", "aaa", True),
    ("%a{3,5}%", "aa", False),
    (r"%\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}%", "from 10.0.12.7 port 22", True),
    (r"%\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}%", "from host-a port 22", False),
    ("%[Ee]rror|[Ff]ail%", "Error: disk", True),
    ("%[Ee]rror|[Ff]ail%", "will fail soon", True),
    ("%[Ee]rror|[Ff]ail%", "ERROR", False),
]

UPDATE_TRAIL = {
    "eventType": "UpdateTrail",
    "sourceIPAddress": "111.111.111.111",
    "arrayKey": ["value", "another value"],
    "objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}],
    "SomeObject": None,
    "ThisFlag": True,
}
USERS = {
    "user": {"id": 1, "email": "John.Stiles@example.com"},
    "users": [
        {"id": 2, "email": "John.Doe@example.com"},
        {"id": 3, "email": "Jane.Doe@example.com"},
    ],
    "actions": ["GET", "PUT", "DELETE"],
    "coordinates": [[0, 1, 2], [4, 5, 6], [7, 8, 9]],
}
METRICS = {
    "bandwidth": 80,
    "latency": 40,
    "refreshRate": 60,
    "responseTime": 5,
    "errorCode": 400,
    "number": [0.001],
    "numbers": [9999],
    "processes": [{}, {}, {}, {}, {"averageRuntime": 55.5}],
}

JSON_EXAMPLES = [
    # Current and archived guide, "Matching terms in JSON log events".
    ('{ $.eventType = "UpdateTrail" }', UPDATE_TRAIL, True),
    ("{ $.sourceIPAddress != 123.123.* }", UPDATE_TRAIL, True),
    ('{ $.arrayKey[0] = "value" }', UPDATE_TRAIL, True),
    ("{ $.objectList[1].id = 2 }", UPDATE_TRAIL, True),
    ("{ $.SomeObject IS NULL }", UPDATE_TRAIL, True),
    ("{ $.SomeOtherObject NOT EXISTS }", UPDATE_TRAIL, True),
    ("{ $.ThisFlag IS TRUE }", UPDATE_TRAIL, True),
    ('{ $.eventType = "*" && $.sourceIPAddress != 123.123.* }', UPDATE_TRAIL, True),
    # Compound conditions: "() > && > ||".
    ('{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', USERS, True),
    ('{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', USERS, False),
    (
        '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch"'
        ' && $.actions[2] = "nonmatch" }',
        USERS,
        True,
    ),
    (
        '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch")'
        ' && $.actions[2] = "nonmatch" }',
        USERS,
        False,
    ),
    # The archived guide writes the same values unquoted.
    (
        '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch'
        " && $.actions[2] = nomatch }",
        USERS,
        True,
    ),
    # "JSON Special Considerations": a selector on an array fails = and != alike.
    ("{ $.users = 1 }", {"users": [1, 2, 3]}, False),
    ("{ $.users != 1 }", {"users": [1, 2, 3]}, False),
    # Numeric comparisons.
    ("{ $.bandwidth > 75 }", METRICS, True),
    ("{ $.latency < 50 }", METRICS, True),
    ("{ $.refreshRate >= 60 }", METRICS, True),
    ("{ $.responseTime <= 5 }", METRICS, True),
    ("{ $.errorCode = 400}", METRICS, True),
    ("{ $.errorCode != 500 }", METRICS, True),
    ("{ $.number[0] = 1e-3 }", METRICS, True),
    ("{ $.number[0] != 1e+3 }", METRICS, True),
    ("{ $.numbers[0] < 10e3 }", METRICS, True),
    ("{ $.processes[4].averageRuntime <= 55.5 }", METRICS, True),
    ("{ $.latency > +1000 }", METRICS, False),
    ("{ $.latency >= 500 }", METRICS, False),
    ("{ $.latency = * }", {"latency": 50, "requestType": "GET"}, True),
    # Archived guide, "OR Pattern Matching" in JSON filters.
    ("{$.foo = bar}", {"foo": "bar"}, True),
    ("{$.foo = bar}", {"foo": "baz"}, False),
    ("{$.foo = baz }", {"foo": "baz"}, True),
    ("{$.foo = bar || $.foo = baz }", {"foo": "bar"}, True),
    ("{$.foo = bar || $.foo = baz }", {"foo": "baz"}, True),
    # Archived guide: the * wildcard before or after a term.
    ("{ $.eventName = *Event }", {"eventName": "PutEvent"}, True),
    ("{ $.eventName = *Event }", {"eventName": "GetEvent"}, True),
    ("{ $.eventName = Event* }", {"eventName": "EventId"}, True),
    ("{ $.eventName = Event* }", {"eventName": "EventName"}, True),
    ("{ $.eventName = Event* }", {"eventName": "PutEvent"}, False),
]

APACHE = [
    '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
    '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324',
    '127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /apache_pb.gif HTTP/1.0" 200 4355',
]
PROD = '127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534'


def _apache(pattern: str, selected: tuple[bool, bool, bool]) -> list[tuple[str, str, bool]]:
    return [(pattern, line, hit) for line, hit in zip(APACHE, selected, strict=True)]


DELIMITED = [
    # Current guide, "Match terms in space-delimited log events".
    ("[ip, user, username, timestamp, request =*.html*, status_code = 4*, bytes]", PROD, True),
    ("[..., request =*.html*, status_code = 4*, bytes]", PROD, True),
    (
        "[ip, user, username, timestamp, request =*.html*, "
        "status_code = 404 || status_code = 410, bytes]",
        PROD,
        True,
    ),
    ("[ip, server, username, timestamp, request, status_code, bytes > 1000]", PROD, True),
    ("[w1=ERROR, w2]", "ERROR message", True),
    ("[w1=ERROR, w2]", "WARN message", False),
    # The guide writes W1 for the w1 it named.
    ("[w1=ERROR || W1=WARNING, w2]", "WARNING message", True),
    ("[w1!=ERROR && w1!=WARNING, w2]", "INFO message", True),
    ("[w1!=ERROR && w1!=WARNING, w2]", "ERROR message", False),
    # Archived guide: the number of fields must match ("ERROR WARN message" has three).
    ("[w1=ERROR, w2]", "ERROR WARN message", False),
    ("[w1=ERROR || w1=WARN, w2]", "ERROR message", True),
    ("[w1=ERROR || w1=WARN, w2]", "WARN message", True),
    ("[w1=ERROR || w1=WARN, w2]", "ERROR WARN message", False),
    # Archived guide: the Apache access log.
    *_apache("[ip, user, username, timestamp, request, status_code, bytes]", (True,) * 3),
    *_apache("[..., status_code, bytes]", (True,) * 3),
    *_apache("[ip, user, ..., status_code, bytes]", (True,) * 3),
    *_apache("[ip, user, ...]", (True,) * 3),
    *_apache("[ip, user, username, timestamp, request, status_code, bytes > 1000]", (True,) * 3),
    *_apache(
        "[ip, user, username, timestamp, request, status_code, bytes > 5000]",
        (False, True, False),
    ),
    *_apache(
        "[ip, user, username, timestamp, request, status_code = 200, bytes]", (True, False, True)
    ),
    *_apache("[ip, user, username, timestamp, request, status_code = 4*, bytes]", (False,) * 3),
    *_apache(
        "[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]", (False,) * 3
    ),
    *_apache(
        "[ip, user, username, timestamp, request = *gif*, status_code = 5*, bytes]",
        (False, True, False),
    ),
    *_apache(
        "[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]",
        (False,) * 3,
    ),
    # Archived guide, extracted-fields example (a trailing comma names a blank last field).
    (
        "[..., request=*.html*, status_code=4*,]",
        '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534',
        True,
    ),
]


@pytest.mark.parametrize(("pattern", "message", "selected"), UNSTRUCTURED + REGEX + DELIMITED)
def test_documented_examples(pattern: str, message: str, selected: bool) -> None:
    assert compile(pattern).matches(message) is bool(selected)


@pytest.mark.parametrize(("pattern", "event", "selected"), JSON_EXAMPLES)
def test_documented_json_examples(pattern: str, event: dict, selected: bool) -> None:
    # The guide: "you must enter the example JSON log on a single line".
    assert compile(pattern).matches(json.dumps(event)) is selected


# --- The kit's own Lambda log lines ---------------------------------------------------------

REQUEST_ID = "8f5b6c2e-1d2a-4f3b-9c4d-5e6f7a8b9c0d"
START = f"START RequestId: {REQUEST_ID} Version: $LATEST"
END = f"END RequestId: {REQUEST_ID}"
REPORT = (
    f"REPORT RequestId: {REQUEST_ID}\tDuration: 1.23 ms\tBilled Duration: 2 ms\t"
    "Memory Size: 128 MB\tMax Memory Used: 50 MB\t"
)
ERROR_LINE = f"[ERROR]\t2026-01-01T00:00:00.000Z\t{REQUEST_ID}\tpayment failed for order 42"
INFO_LINE = f"[INFO]\t2026-01-01T00:00:00.000Z\t{REQUEST_ID}\torder 42 received"
PRINTED = "hello from print"
TIMED_OUT = f"2026-01-01T00:00:03.000Z {REQUEST_ID} Task timed out after 3.00 seconds"
JSON_ERROR = json.dumps(
    {
        "timestamp": "2026-01-01T00:00:00.000Z",
        "level": "ERROR",
        "message": "payment failed",
        "requestId": REQUEST_ID,
        "order": {"id": 42, "items": ["book", "pen"]},
    }
)
JSON_INFO = json.dumps(
    {"timestamp": "2026-01-01T00:00:00.000Z", "level": "INFO", "message": "order received"}
)
STREAM = [START, INFO_LINE, ERROR_LINE, PRINTED, TIMED_OUT, JSON_INFO, JSON_ERROR, END, REPORT]


def _selected(pattern: str) -> list[str]:
    compiled = compile(pattern)
    return [line for line in STREAM if compiled.matches(line)]


def test_error_selects_the_error_lines() -> None:
    # Case-sensitive substring: "[ERROR]" and the JSON "ERROR" both hold ERROR.
    assert _selected("ERROR") == [ERROR_LINE, JSON_ERROR]
    assert _selected("error") == []
    assert _selected('"[ERROR]"') == [ERROR_LINE]


def test_a_quoted_phrase_selects_timeouts() -> None:
    assert _selected('"Task timed out"') == [TIMED_OUT]
    assert _selected("Task timed out") == [TIMED_OUT]
    assert _selected('?"Task timed out" ?ERROR') == [ERROR_LINE, TIMED_OUT, JSON_ERROR]


def test_exclusions_drop_the_platform_lines() -> None:
    assert _selected("-START -END -REPORT") == [
        INFO_LINE,
        ERROR_LINE,
        PRINTED,
        TIMED_OUT,
        JSON_INFO,
        JSON_ERROR,
    ]
    assert _selected('"ERROR" -"payment"') == []
    assert _selected('"order" -"ERROR"') == [INFO_LINE, JSON_INFO]


def test_a_json_pattern_reads_json_lines_only() -> None:
    assert _selected('{ $.level = "ERROR" }') == [JSON_ERROR]
    assert _selected("{ $.level = * }") == [JSON_INFO, JSON_ERROR]
    assert _selected("{ $.order.id = 42 }") == [JSON_ERROR]
    assert _selected('{ $.order.items[1] = "pen" }') == [JSON_ERROR]
    assert _selected("{ $.order NOT EXISTS }") == [JSON_INFO]
    assert _selected("{ $.message = %^payment% }") == [JSON_ERROR]


def test_a_space_delimited_pattern_reads_the_runtime_lines() -> None:
    # Tabs separate the fields of the runtime's lines; [ERROR] is one field, brackets removed.
    assert _selected("[level = ERROR, timestamp, request_id, ...]") == [ERROR_LINE]
    assert _selected("[level = ERROR || level = INFO, timestamp, request_id, ...]") == [
        INFO_LINE,
        ERROR_LINE,
    ]
    assert _selected("[type = START, label, id, ...]") == [START]
    report = "[type = REPORT, label, id, key = Duration:, ms > 1, unit = ms, ...]"
    assert _selected(report) == [REPORT]
    assert _selected(report.replace("> 1", "> 2")) == []
    assert _selected("[..., seconds = %^[0-9.]+$%, unit = seconds]") == [TIMED_OUT]


def test_unquoted_brackets_make_a_space_delimited_pattern() -> None:
    # [ERROR] names one field called ERROR: it selects every one-field message, not [ERROR] lines.
    assert compile("[ERROR]").kind == "delimited"
    assert compile("[ERROR]").matches("hello") is True
    assert compile("[ERROR]").matches(ERROR_LINE) is False


# --- Terms ----------------------------------------------------------------------------------


@pytest.mark.parametrize("pattern", ["", "   ", None, '""'])
def test_an_empty_pattern_matches_everything(pattern: str | None) -> None:
    assert all(compile(pattern).matches(line) for line in [*STREAM, ""])
    assert compile(pattern).kind == ("terms" if pattern == '""' else "all")


def test_optional_terms_are_ignored_next_to_plain_terms() -> None:
    # Observed on AWS (not in the guide): `ERROR ?WARN` behaves like `ERROR`.
    assert matches("ERROR ?WARN", "ERROR message") is True
    assert matches("ERROR ?WARN", "WARN message") is False
    assert matches("?ERROR ?WARN -DEBUG", "WARN DEBUG message") is False
    assert matches("?ERROR ?WARN -DEBUG", "WARN message") is True


def test_phrases_keep_escaped_quotes_and_regex_terms_combine() -> None:
    assert matches(r'"say \"hi\""', 'they say "hi"') is True
    assert matches(r'"say \"hi\""', "they say hi") is False
    assert matches("ERROR %[0-9]{3}%", "ERROR 404") is True
    assert matches("ERROR -%[0-9]{3}%", "ERROR 404") is False
    assert matches("?%^WARN% ?%^ERROR%", "ERROR at start") is True


# --- JSON -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "event", "selected"),
    [
        ("{ $.flag IS FALSE }", {"flag": False}, True),
        ("{ $.flag IS FALSE }", {"flag": "false"}, False),
        ("{ $.flag IS TRUE }", {"flag": "true"}, False),
        ("{ $.flag = true }", {"flag": True}, True),
        ("{ $.gone IS NULL }", {}, False),
        ("{ $.here NOT EXISTS }", {"here": None}, False),
        ("{ $.a[5] NOT EXISTS }", {"a": [1]}, True),
        # A selector that finds nothing (or null) fails both = and !=.
        ("{ $.missing != 1 }", {}, False),
        ("{ $.empty != 1 }", {"empty": None}, False),
        ("{ $.obj = * }", {"obj": {"a": 1}}, False),
        # An unquoted number compares numerically with a JSON number, textually with a string.
        ("{ $.code = 400 }", {"code": 400.0}, True),
        ("{ $.code = 400 }", {"code": "400"}, True),
        ("{ $.code > 399 }", {"code": "400"}, False),
        ("{ $.code = 4* }", {"code": 404}, True),
        ('{ $.ip = "10.0.*" }', {"ip": "10.0.3.4"}, True),
        ("{ $.ip != 10.0.* }", {"ip": "10.1.3.4"}, True),
        ("{ $.ratio < -0.5 }", {"ratio": -1}, True),
        ("{ $.big-key_1 = 1 }", {"big-key_1": 1}, True),
        ("{ $.a = 1 || $.b = 2 && $.c = 3 }", {"a": 1, "b": 0, "c": 0}, True),
        ("{ ($.a = 1 || $.b = 2) && $.c = 3 }", {"a": 1, "b": 0, "c": 0}, False),
        ("{ $.msg = %time[sd] out% }", {"msg": "timed out"}, True),
        ("{ $.msg != %^ok$% }", {"msg": "not ok"}, True),
        ("{ $.msg = %^ok$% || $.msg = %^fine$% }", {"msg": "fine"}, True),
    ],
)
def test_json_patterns(pattern: str, event: dict, selected: bool) -> None:
    assert matches(pattern, json.dumps(event)) is selected


@pytest.mark.parametrize("message", ["not json", "[1, 2]", '"text"', "42", "{broken", ""])
def test_a_json_pattern_never_selects_a_message_that_is_no_json_object(message: str) -> None:
    assert matches("{ $.anything NOT EXISTS }", message) is False
    assert matches("{ $.a != 1 }", message) is False


# --- Space-delimited ------------------------------------------------------------------------


def test_ellipses_take_any_number_of_fields() -> None:
    assert matches("[first, ...]", "one") is True
    assert matches("[first, ..., last]", "one") is False
    assert matches("[first, ..., last]", "one two") is True
    assert matches("[..., mid = x, ...]", "a b x c d") is True
    assert matches("[..., mid = x, ...]", "a b c d") is False
    # A condition may name another field of the pattern.
    assert matches("[a = 1 && b > 5, b]", "1 9") is True
    assert matches("[a = 1 && b > 5, b]", "1 3") is False


def test_quoted_and_bracketed_fields_count_once() -> None:
    message = 'x "a b c" [d e] y'
    assert matches('[w1, w2 = "a b c", w3 = "d e", w4]', message) is True
    assert matches("[w1, w2, w3, w4, w5]", message) is False


# --- Errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "hint"),
    [
        ("ERROR:", "in double quotes"),
        ("RequestId: abc", "in double quotes"),
        ('"unterminated', "unterminated double quote"),
        ("?", "must be followed by a term"),
        ("%abc", "must end with %"),
        ("%%", "empty regular expression"),
        ("%a(b)%", "( and )"),
        ("%something!%", "!"),
        ("%café%", "multi-byte"),
        ("%[a%", "does not parse"),
        ("{ $.a = 1", "must end with }"),
        ("{ }", "is empty"),
        ("{ level = 1 }", "property selector"),
        ("{ $.a }", "IS NULL"),
        ("{ $.a = }", "value is missing"),
        ("{ $.a > big }", "compares numbers"),
        ('{ $.a >= "5" }', "compares numbers"),
        ("{ $.a > 1* }", "compares numbers"),
        ("{ $.a IS NOT NULL }", "IS NOT is not supported"),
        ("{ $.a EXISTS }", "EXISTS is not supported"),
        ("{ $.a IS MAYBE }", "NULL, TRUE or FALSE"),
        ("{ $.a = 1 and $.b = 2 }", "&& and ||"),
        ("{ ($.a = 1 }", "a ) is missing"),
        ("{ $.a[x] = 1 }", "array index"),
        ("{ $.a = %x% || $.b = %y% || $.c = %z% }", "at most 2"),
        ("[a, b", "must end with ]"),
        ("[]", "names no fields"),
        ("[a b]", "separated by commas"),
        ("[a, a]", "used twice"),
        ("[= 1, b]", "needs a field name"),
        ("[a = 1 && zz = 2]", "refers to zz"),
        ("[a = 1 &&]", "expected a field name"),
        ("[a = %x%, b = %y%, c = %z%]", "at most 2"),
    ],
)
def test_invalid_patterns_raise_with_aws_wording_and_a_hint(pattern: str, hint: str) -> None:
    with pytest.raises(InvalidFilterPattern) as excinfo:
        compile(pattern)
    error = excinfo.value
    assert isinstance(error, ValueError)
    assert error.aws_code == "InvalidParameterException"
    assert error.aws_message in (
        "Invalid filter pattern",
        f"Invalid character(s) in term '{pattern.split()[0]}'",
    )
    assert hint in error.hint
    assert str(error).startswith(error.aws_message)
    assert error.pattern == pattern


def test_an_unquoted_term_with_punctuation_names_the_term() -> None:
    with pytest.raises(InvalidFilterPattern) as excinfo:
        compile("ERROR RequestId:")
    assert excinfo.value.aws_message == "Invalid character(s) in term 'RequestId:'"
    assert '"RequestId:"' in excinfo.value.hint
    assert matches('ERROR "RequestId:"', "ERROR RequestId: 1") is True


def test_a_pattern_over_1024_characters_fails_validation() -> None:
    assert compile("a" * 1024).kind == "terms"
    with pytest.raises(InvalidFilterPattern) as excinfo:
        compile("a" * 1025)
    assert excinfo.value.aws_code == "ValidationException"
    assert "Member must have length less than or equal to 1024" in excinfo.value.aws_message


# --- The convenience function ---------------------------------------------------------------


def test_matches_caches_compiled_patterns() -> None:
    log_filter_patterns._cached.cache_clear()
    assert matches("ERROR", ERROR_LINE) is True
    assert matches("ERROR", INFO_LINE) is False
    assert log_filter_patterns._cached.cache_info().hits == 1
    assert matches(None, "anything") is True
    with pytest.raises(InvalidFilterPattern):
        matches("{ nope }", "x")


def test_compiled_patterns_say_what_they_are() -> None:
    assert compile("ERROR").kind == "terms"
    assert compile("{ $.a = 1 }").kind == "json"
    assert compile("[a, ...]").kind == "delimited"
    assert repr(compile("ERROR")) == "FilterPattern('ERROR', kind='terms')"

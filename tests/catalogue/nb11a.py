"""Notebook 11a: q1 idna in a layer for domains."""

from tests.catalogue import Answers, Wrong

# ------------------------------------------------------------------------- q1: a layer
DOMAINS = '''
import boto3
from helpers.iam import execution_role
from helpers.packaging import site_packages_zip, zip_bytes

lam = boto3.client("lambda")
source = """
import idna


def handler(event, context):
    return {"ascii": idna.encode(event["domain"]).decode()}
"""


def layer(files, name="idna"):
    return lam.publish_layer_version(LayerName=name, Content={"ZipFile": zip_bytes(files)},
                                     CompatibleRuntimes=["python3.13"])["LayerVersionArn"]


def deploy(files, layers=(), runtime="python3.13"):
    try:
        lam.delete_function(FunctionName="domains")
    except lam.exceptions.ResourceNotFoundException:
        pass
    lam.create_function(FunctionName="domains", Runtime=runtime, Role=execution_role(),
                        Handler="app.handler", Code={"ZipFile": zip_bytes(files)},
                        Layers=list(layers))
    lam.get_waiter("function_active_v2").wait(FunctionName="domains")
'''


def domains(body: str) -> str:
    return DOMAINS + body


ANSWERS = {
    "q1": Answers(
        wrong={
            "no-layer": Wrong(domains("deploy({'app.py': source})\n"), "no layer"),
            # Found by a learner trial: a layer of another Region, which AWS refuses to attach.
            "layer-from-another-region": Wrong(
                domains(
                    "abroad = boto3.client('lambda', region_name='eu-west-1')\n"
                    "arn = abroad.publish_layer_version(LayerName='idna', Content={'ZipFile': "
                    "zip_bytes(site_packages_zip('idna', prefix='python/'))})['LayerVersionArn']\n"
                    "deploy({'app.py': source}, [arn])\n"
                ),
                "no function named `domains`",
                raises="Layers are not in the same region as the function",
            ),
            # Learner trial 7: the layer attached, but the handler swapped to Python's built-in
            # "idna" codec (IDNA 2003, ß → ss): the layer is never imported. It passed while
            # the check's domains encoded the same in IDNA 2003 and 2008.
            "builtin-idna-codec": Wrong(
                domains(
                    "arn = layer(site_packages_zip('idna', prefix='python/'))\n"
                    'source = """\n'
                    "def handler(event, context):\n"
                    "    return {'ascii': event['domain'].encode('idna').decode()}\n"
                    '"""\n'
                    "deploy({'app.py': source}, [arn])\n"
                ),
                "built-in `idna` codec",
                "IDNA 2003",
                "idna.encode(event['domain'])",
            ),
            "in-the-zip-too": Wrong(
                domains(
                    "arn = layer(site_packages_zip('idna', prefix='python/'))\n"
                    "deploy({'app.py': source, **site_packages_zip('idna')}, [arn])\n"
                ),
                "own ZIP still holds",
            ),
            "layer-root": Wrong(
                domains(
                    "arn = layer(site_packages_zip('idna'))\ndeploy({'app.py': source}, [arn])\n"
                ),
                "`python/`",
            ),
            # A learner trial: the fixed version 2 published, the old version 1 attached.
            # A learner trial: the layer's files (under python/) reused in the function's ZIP.
            "layer-files-in-the-zip-too": Wrong(
                domains(
                    "files = site_packages_zip('idna', prefix='python/')\n"
                    "arn = layer(files)\n"
                    "deploy({'app.py': source, **files}, [arn])\n"
                ),
                "own ZIP still holds",
                "python/idna/__init__.py",
            ),
            # Found by learner trial 6: the layer right, but a stub idna.py left from testing
            # in the function's ZIP, which Python finds first; the check blamed the handler.
            "stub-idna-module-in-the-zip": Wrong(
                domains(
                    "arn = layer(site_packages_zip('idna', prefix='python/'))\n"
                    "stub = '# stub for local tests\\ndef encode(s):\\n    return s.encode()\\n'\n"
                    "deploy({'app.py': source, 'idna.py': stub}, [arn])\n"
                ),
                "holds an `idna` module, `idna.py`",
                "shadows the layer's idna",
                "Remove `idna.py`",
            ),
            "older-layer-version": Wrong(
                domains(
                    "old = layer(site_packages_zip('idna'))\n"
                    "layer(site_packages_zip('idna', prefix='python/'))\n"
                    "deploy({'app.py': source}, [old])\n"
                ),
                "newer version",
                "list_layer_versions",
            ),
            "other-python-version": Wrong(
                domains(
                    "arn = layer(site_packages_zip('idna', "
                    "prefix='python/lib/python3.12/site-packages/'))\n"
                    "deploy({'app.py': source}, [arn])\n"
                ),
                "python3.13",
            ),
            "wrong-package": Wrong(
                domains(
                    "arn = layer(site_packages_zip('certifi', prefix='python/'), 'certifi')\n"
                    "deploy({'app.py': source}, [arn])\n"
                ),
                "none of the layers",
            ),
            # A learner trial: idna's layer attached right, then a second layer attached with
            # update_function_configuration(Layers=[other]), which replaces the whole list.
            "second-layer-replaces-the-list": Wrong(
                domains(
                    "arn = layer(site_packages_zip('idna', prefix='python/'))\n"
                    "deploy({'app.py': source}, [arn])\n"
                    "helpers = layer({'python/shop_helpers.py': 'X = 1\\n'}, 'shop-helpers')\n"
                    "lam.update_function_configuration(FunctionName='domains', Layers=[helpers])\n"
                    "lam.get_waiter('function_updated_v2').wait(FunctionName='domains')\n"
                ),
                "`shop-helpers:",
                "replaces it",
                "whole list",
                "every ARN",
            ),
            # Learner trial 12 (JD5): idna in a folder of the layer's own, `vendor/`, and no
            # path added by the handler: AWS looks only in python/ (and its site-packages).
            "layer-custom-folder-no-path": Wrong(
                domains(
                    "arn = layer(site_packages_zip('idna', prefix='vendor/'))\n"
                    "deploy({'app.py': source}, [arn])\n"
                ),
                "`vendor/idna/__init__.py`",
                "`python/`",
            ),
            # Learner trial 12 (JD6): the check run after a kernel restart, the answer not run
            # again: the kit's local AWS starts empty, and the message says so (harness's).
            "checked-after-kernel-restart": Wrong(
                "import helpers\naws = helpers.start()\n",
                "no function named `domains`",
                "starts empty after a kernel restart",
            ),
            "hard-coded-answer": Wrong(
                domains(
                    "arn = layer(site_packages_zip('idna', prefix='python/'))\n"
                    "fixed = 'import idna\\ndef handler(e, c):\\n"
                    '    return {"ascii": "xn--mnchen-3ya.example"}\\n\'\n'
                    "deploy({'app.py': fixed}, [arn])\n"
                ),
                "expected",
            ),
        },
        right={
            "site-packages-folder": domains(
                "arn = layer(site_packages_zip('idna', "
                "prefix='python/lib/python3.13/site-packages/'))\n"
                "deploy({'app.py': source}, [arn])\n"
            ),
            "requests-layer-brings-idna": domains(
                "arn = layer(site_packages_zip('requests', prefix='python/'), 'requests')\n"
                "deploy({'app.py': source}, [arn])\n"
            ),
            # A learner trial: the layer version deleted once attached, as a tidy-up (AWS keeps
            # a copy for the functions that use it).
            "layer-version-deleted-after": domains(
                "arn = layer(site_packages_zip('idna', prefix='python/'))\n"
                "deploy({'app.py': source}, [arn])\n"
                "version = int(arn.rsplit(':', 1)[1])\n"
                "lam.delete_layer_version(LayerName='idna', VersionNumber=version)\n"
            ),
            # Learner trial 12 (JD5): idna in the layer's `vendor/` folder, and the handler adds
            # `/opt/vendor` to `sys.path` itself: that works on AWS (every layer is extracted
            # into /opt). It got a ❌ that said so; the kit can't place layers at /opt, so the
            # check's copy runs with that path pointed at the kit's stand-in.
            "layer-custom-folder-sys-path": domains(
                "arn = layer(site_packages_zip('idna', prefix='vendor/'))\n"
                "custom = 'import sys\\nsys.path.insert(0, \"/opt/vendor\")\\n' + source\n"
                "deploy({'app.py': custom}, [arn])\n"
            ),
            # Learner trial 13 (PD4): idna in the layer's `vendor/` folder, found through the
            # function's PYTHONPATH variable (a variable a function may set): it works on AWS;
            # the kit failed the import, and the check said "no path to add".
            "layer-custom-folder-pythonpath-variable": domains(
                "arn = layer(site_packages_zip('idna', prefix='vendor/'))\n"
                "deploy({'app.py': source}, [arn])\n"
                "lam.update_function_configuration(FunctionName='domains',\n"
                "    Environment={'Variables': {'PYTHONPATH': '/opt/vendor'}})\n"
                "lam.get_waiter('function_updated_v2').wait(FunctionName='domains')\n"
            ),
            "layer-attached-after": domains(
                "deploy({'app.py': source})\n"
                "arn = layer(site_packages_zip('idna', prefix='python/'))\n"
                "lam.update_function_configuration(FunctionName='domains', Layers=[arn])\n"
                "lam.get_waiter('function_updated_v2').wait(FunctionName='domains')\n"
            ),
        },
        broken="no-layer",
    ),
}

import os


def handler(event, context):
    # Each published version keeps the RELEASE it was published with.
    return {"release": int(os.environ["RELEASE"])}

import boto3

dynamodb = boto3.client("dynamodb")


def handler(event, context):
    # The deposit's record and the balance change are one transaction: the conditional put
    # lets only the first delivery of a deposit_id through, even two at the same time.
    try:
        dynamodb.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": "bank",
                        "Item": {"pk": {"S": "deposit#" + event["deposit_id"]}},
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
                {
                    "Update": {
                        "TableName": "bank",
                        "Key": {"pk": {"S": "account"}},
                        "UpdateExpression": "ADD balance :amount",
                        "ExpressionAttributeValues": {":amount": {"N": str(event["amount"])}},
                    }
                },
            ]
        )
        return {"added": True}
    except dynamodb.exceptions.TransactionCanceledException as err:
        reasons = [r.get("Code") for r in err.response.get("CancellationReasons", [])]
        if reasons and reasons[0] == "ConditionalCheckFailed":
            return {"added": False}  # this deposit was counted already
        raise
